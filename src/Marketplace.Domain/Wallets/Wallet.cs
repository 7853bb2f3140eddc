using Marketplace.Domain.Common;
using Marketplace.Domain.Wallets.Events;

namespace Marketplace.Domain.Wallets;

/// <summary>
/// A seller's wallet on a payment rail. The marketplace never holds money: it only reads the
/// wallet's incoming payments with the seller's token, which is stored encrypted.
/// </summary>
public sealed class Wallet : IHasDomainEvents
{
    private readonly List<IDomainEvent> _events = [];

    private Wallet() { }

    public Wallet(Guid id, Guid ownerId, string provider, string account, string encryptedToken, DateTimeOffset createdAt, bool sandbox)
    {
        Sandbox = sandbox;
        Id = id;
        OwnerId = ownerId;
        Provider = provider;
        Account = account;
        EncryptedToken = encryptedToken;
        CreatedAt = createdAt;
        Status = WalletStatus.Active;
    }

    public Guid Id { get; private set; }
    public Guid OwnerId { get; private set; }
    public string Provider { get; private set; } = "";
    /// <summary>The wallet's public identifier on the rail (for QIWI, the phone number with '+').</summary>
    public string Account { get; private set; } = "";
    public string EncryptedToken { get; private set; } = "";
    /// <summary>Connected to an emulated wallet by a Sandbox service: its payments are play money, never read by a Live service.</summary>
    public bool Sandbox { get; private set; }
    public WalletStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// The oldest instant not known to be read (see <see cref="HistoryCursor.CompleteUpTo"/>): shown to
    /// the seller; an order's expiry asks the cursor about the order's own range instead.
    /// </summary>
    public DateTimeOffset? SyncedUpTo { get; private set; }
    public DateTimeOffset? LastSyncAttemptAt { get; private set; }
    public string? LastSyncError { get; private set; }
    public HistoryCursor Cursor { get; private set; } = new();
    /// <summary>When the rail first refused the token; unpaid orders are held until the seller reconnects or the hold limit passes.</summary>
    public DateTimeOffset? AttentionSince { get; private set; }

    /// <summary>Our push hook on the wallet, when the seller opted in.</summary>
    public string? PushSubscriptionId { get; private set; }
    /// <summary>The hook's signing key, encrypted like the token.</summary>
    public string? EncryptedPushKey { get; private set; }
    /// <summary>Why push is off although the seller asked for it (the token may not manage hooks, another hook exists, ...).</summary>
    public string? PushError { get; private set; }

    /// <summary>The service instance working this wallet, and until when (see docs/operations.md, leases).</summary>
    public string? LeaseHolder { get; private set; }
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    public bool PushEnabled => PushSubscriptionId is not null;

    public IReadOnlyList<IDomainEvent> DomainEvents => _events;

    public void ClearDomainEvents() => _events.Clear();

    public void ReplaceToken(string encryptedToken)
    {
        EncryptedToken = encryptedToken;
        Status = WalletStatus.Active;
        AttentionSince = null;
        LastSyncError = null;
        // Whatever happened while the old token was refused is read again, from the oldest unresolved order.
        Cursor.CatchUpRequested = true;
    }

    /// <summary>A successful read; <see cref="Cursor"/> already says how far.</summary>
    public void RecordSyncSuccess(DateTimeOffset at)
    {
        // Stored in UTC: a rail's transfer time may carry its own offset (QIWI answers in Moscow time).
        SyncedUpTo = Cursor.CompleteUpTo?.ToUniversalTime();
        LastSyncAttemptAt = at;
        LastSyncError = null;
    }

    public void RecordSyncFailure(string error, DateTimeOffset at, bool credentialsRejected)
    {
        SyncedUpTo = Cursor.CompleteUpTo?.ToUniversalTime();
        LastSyncAttemptAt = at;
        LastSyncError = error.Length > 500 ? error[..500] : error;
        if (credentialsRejected && Status != WalletStatus.NeedsAttention)
        {
            Status = WalletStatus.NeedsAttention;
            AttentionSince = at;
            _events.Add(new WalletNeedsAttention(Id, at));
        }
    }

    public void EnablePush(string subscriptionId, string encryptedKey)
    {
        PushSubscriptionId = subscriptionId;
        EncryptedPushKey = encryptedKey;
        PushError = null;
    }

    public void DisablePush(string? error)
    {
        PushSubscriptionId = null;
        EncryptedPushKey = null;
        PushError = error is { Length: > 500 } ? error[..500] : error;
    }

}

public enum WalletStatus
{
    Active = 0,
    /// <summary>The rail refused the token (revoked, expired or missing permissions): listings are paused until the seller reconnects.</summary>
    NeedsAttention = 1,
}
