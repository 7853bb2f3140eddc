using Marketplace.Domain.Wallets;

namespace Marketplace.Application.Wallets;

/// <summary>A wallet as its owner sees it. The token is never part of it. <c>sandbox</c>: an emulated wallet, play money.</summary>
public sealed record WalletDto(
    Guid Id, string Provider, string Account, WalletStatus Status, DateTimeOffset CreatedAt,
    DateTimeOffset? SyncedUpTo, string? LastSyncError, bool Sandbox)
{
    public static WalletDto From(Wallet w) =>
        new(w.Id, w.Provider, w.Account, w.Status, w.CreatedAt, w.SyncedUpTo, w.LastSyncError, w.Sandbox);
}
