namespace Marketplace.Domain.Wallets;

/// <summary>
/// A seller's wallet on a payment rail. The marketplace never holds money: it only reads the
/// wallet's incoming payments with the seller's token, which is stored encrypted.
/// </summary>
public sealed class Wallet
{
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
    /// How far the last complete read of the history reaches: everything before it is final. Orders
    /// may only expire once the wallet has been read past their deadline, so a payment made while the
    /// service was down is still found after a restart. It can move back, when a later read finds a
    /// pending transfer for an unpaid order.
    /// </summary>
    public DateTimeOffset? SyncedUpTo { get; private set; }
    public DateTimeOffset? LastSyncAttemptAt { get; private set; }
    public string? LastSyncError { get; private set; }

    public void ReplaceToken(string encryptedToken)
    {
        EncryptedToken = encryptedToken;
        Status = WalletStatus.Active;
        LastSyncError = null;
    }

    public void RecordSyncSuccess(DateTimeOffset upTo, DateTimeOffset at)
    {
        // Stored in UTC: a rail's transfer time may carry its own offset (QIWI answers in Moscow time).
        SyncedUpTo = upTo.ToUniversalTime();
        LastSyncAttemptAt = at;
        LastSyncError = null;
    }

    public void RecordSyncFailure(string error, DateTimeOffset at, bool credentialsRejected)
    {
        LastSyncAttemptAt = at;
        LastSyncError = error.Length > 500 ? error[..500] : error;
        if (credentialsRejected) Status = WalletStatus.CredentialsRejected;
    }
}

public enum WalletStatus
{
    Active = 0,
    /// <summary>The rail refused the token (revoked, expired or missing permissions): the seller must reconnect.</summary>
    CredentialsRejected = 1,
}
