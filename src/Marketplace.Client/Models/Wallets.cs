namespace Marketplace.Client.Models;

/// <param name="Provider">The payment rail (qiwi).</param>
/// <param name="Account">The wallet's account (for QIWI, the phone number in international format).</param>
/// <param name="Token">The wallet's API token; stored encrypted by the service, never returned.</param>
/// <param name="Push">Ask the service to register its push notifications with the wallet (the token must be allowed to).</param>
public sealed record ConnectWalletRequest(string Provider, string Account, string Token, bool Push = false, bool ReplaceExistingHook = false);

public sealed record Wallet(
    Guid Id, string Provider, string Account, string Status, DateTimeOffset CreatedAt, DateTimeOffset? SyncedUpTo, string? LastSyncError,
    bool Sandbox, DateTimeOffset? AttentionSince, DateTimeOffset? BehindSince, bool PushEnabled, string? PushError);

public sealed record WalletTransfer(
    Guid Id, string TransactionId, Money Amount, decimal? PayerAmount, string? Comment, string? SenderAccount, DateTimeOffset OccurredAt,
    string Outcome, string Source, Guid? OrderId, bool WaitsForSeller, DateTimeOffset RecordedAt, DateTimeOffset? ResolvedAt,
    string? ResolutionNote, string? Raw);

public sealed record AttachTransferRequest(Guid OrderId);

public sealed record ResolveTransferRequest(string Note);
