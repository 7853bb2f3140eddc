namespace Marketplace.Application.Payments;

/// <summary>
/// A buyer may pay and then cancel, or pay while the cancellation is on its way. Such a transfer
/// must still be recorded (as <c>OrderCancelled</c>, evidence for a refund), so a cancelled order
/// keeps its wallet watched, exactly like expiry waits for history (ADR 0004): until the wallet's
/// history was completely read past <c>CancelledAt</c> + grace. A pending transfer dated before the
/// cancellation holds <c>SyncedUpTo</c> back, so that order stays watched until the transfer is final.
/// </summary>
public static class CancelledOrderWatch
{
    /// <summary>The default grace, the same as the expiry grace of the payment watcher.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(2);

    /// <summary>No read goes further back than this (and no order lives longer).</summary>
    public static readonly TimeSpan MaxLookBack = TimeSpan.FromDays(30);

    /// <summary>Cancelled orders at or after this instant still need the wallet read.</summary>
    public static DateTimeOffset WatchedSince(DateTimeOffset? syncedUpTo, TimeSpan grace, DateTimeOffset now) =>
        syncedUpTo is { } synced ? synced - grace : now - MaxLookBack;
}
