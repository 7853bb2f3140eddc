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

    /// <summary>Wrong passwords since the last correct one; counted atomically in the database (Application's Lockout).</summary>
    public int FailedPasswordCount { get; private set; }

    /// <summary>While in the future, no password is accepted, right or wrong. Stored, so it holds on every instance and across restarts.</summary>
    public DateTimeOffset? LockedOutUntil { get; private set; }

    public DateTimeOffset? PasswordChangedAt { get; private set; }

    /// <summary>The public name shown with the seller's listings; null until the account chooses one.</summary>
    public string? DisplayName { get; private set; }

    /// <summary><see cref="Accounts.DisplayName.Key"/> of <see cref="DisplayName"/>: unique across accounts (a database index).</summary>
    public string? DisplayNameKey { get; private set; }

    /// <summary>May decide escalated disputes and grant this role to others.</summary>
    public bool IsModerator { get; private set; }

    public void MakeModerator() => IsModerator = true;

    /// <summary>Same password, fresher hash parameters: not a change the user made.</summary>
    public void ChangePasswordHash(string passwordHash) => PasswordHash = passwordHash;

    /// <summary>The user chose a new password.</summary>
    public void ChangePassword(string passwordHash, DateTimeOffset now)
    {
        PasswordHash = passwordHash;
        PasswordChangedAt = now;
        RecordCorrectPassword();
    }

    /// <summary>Sets or (null) removes the public name. Uniqueness of its key is the database's to enforce.</summary>
    public void ChangeDisplayName(string? name)
    {
        if (name is null)
        {
            DisplayName = null;
            DisplayNameKey = null;
            return;
        }

        var normalized = Accounts.DisplayName.Normalize(name);
        if (!Accounts.DisplayName.IsValid(normalized))
            throw new Common.DomainException("account.display_name_invalid",
                $"A display name has {Accounts.DisplayName.MinLength} to {Accounts.DisplayName.MaxLength} characters: letters, digits, single spaces and - _ . ' &.");
        DisplayName = normalized;
        DisplayNameKey = Accounts.DisplayName.Key(normalized);
    }

    public bool IsLockedOut(DateTimeOffset now) => LockedOutUntil is { } until && until > now;

    public void RecordCorrectPassword()
    {
        FailedPasswordCount = 0;
        LockedOutUntil = null;
    }

    /// <summary>Emails are compared case-insensitively; we store them trimmed and lower-cased.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
