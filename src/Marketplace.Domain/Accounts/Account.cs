namespace Marketplace.Domain.Accounts;

/// <summary>A person who buys, and once a wallet is connected, sells.</summary>
public sealed class Account
{
    private Account() { }

    public Account(Guid id, string email, string passwordHash, DateTimeOffset createdAt)
    {
        Id = id;
        Email = NormalizeEmail(email);
        PasswordHash = passwordHash;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Email { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>
    /// When this account last placed an order. Placing an order updates it first thing in its
    /// transaction, which takes the account's row lock: one buyer's placements run one at a time,
    /// so the unpaid-order caps cannot be passed by parallel requests.
    /// </summary>
    public DateTimeOffset? LastOrderPlacedAt { get; private set; }

    public void ChangePasswordHash(string passwordHash) => PasswordHash = passwordHash;

    /// <summary>Emails are compared case-insensitively; we store them trimmed and lower-cased.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
