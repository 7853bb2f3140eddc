using Marketplace.Domain.Payments;

namespace Marketplace.Application.Payments.Rails;

/// <summary>
/// Reading a wallet's incoming transfers, one request at a time. The matcher decides which range
/// to read and how many requests a pass may spend; the rail only turns one page of what the wallet
/// reports into <see cref="ObservedTransfer"/>s. No decisions here.
/// </summary>
public interface IIncomingHistorySource : IRailCapability
{
    /// <summary>The rail's history timestamps are this coarse (QIWI: one second); ranges are read in these steps.</summary>
    TimeSpan Resolution { get; }

    /// <summary>
    /// One request: incoming transfers dated in [range.From, range.To], newest first. Pass the
    /// returned <see cref="HistoryPage.Continuation"/> with the same range for the next (older) page;
    /// it is null when the range has been read to its start. Pages may overlap at their edges.
    /// </summary>
    Task<HistoryPage> ReadPageAsync(WalletCredentials credentials, HistoryRange range, string? continuation, CancellationToken cancellationToken);
}

public sealed record HistoryRange(DateTimeOffset From, DateTimeOffset To);

/// <param name="Continuation">Opaque to the caller, persisted between passes; at most 200 characters.</param>
public sealed record HistoryPage(IReadOnlyList<ObservedTransfer> Transfers, string? Continuation);
