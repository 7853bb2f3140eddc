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

    public void ChangePasswordHash(string passwordHash) => PasswordHash = passwordHash;

    /// <summary>Emails are compared case-insensitively; we store them trimmed and lower-cased.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
