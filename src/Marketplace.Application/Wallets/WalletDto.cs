using Marketplace.Domain.Wallets;

namespace Marketplace.Application.Wallets;

/// <summary>
/// A wallet as its owner sees it; the token and the push key are never part of it. <c>sandbox</c>: an
/// emulated wallet, play money. <c>status</c> needsAttention: the wallet refused the token
/// (<c>lastSyncError</c> says why, <c>attentionSince</c> since when): its listings are paused and its
/// unpaid orders held until it is reconnected. <c>behindSince</c>: history could not be read as fast as
/// it grows (a flood of transfers); the matcher catches up a bounded number of requests per pass.
/// </summary>
public sealed record WalletDto(
    Guid Id, string Provider, string Account, WalletStatus Status, DateTimeOffset CreatedAt,
    DateTimeOffset? SyncedUpTo, string? LastSyncError, bool Sandbox,
    DateTimeOffset? AttentionSince = null, DateTimeOffset? BehindSince = null, bool PushEnabled = false, string? PushError = null)
{
    public static WalletDto From(Wallet w) =>
        new(w.Id, w.Provider, w.Account, w.Status, w.CreatedAt, w.SyncedUpTo, w.LastSyncError, w.Sandbox,
            w.AttentionSince, w.Cursor.BehindSince, w.PushEnabled, w.PushError);
}
