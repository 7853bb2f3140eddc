namespace Marketplace.Application.Accounts;

/// <summary>Lockout and session lifetimes, bound from the <c>Auth</c> configuration section.</summary>
public sealed class AccountSecurityOptions
{
    public const string Section = "Auth";

    public LockoutOptions Lockout { get; set; } = new();

    /// <summary>How long one refresh token may wait before it is exchanged.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The longest a session lives, however often it is refreshed; then the user logs in again.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    public sealed class LockoutOptions
    {
        /// <summary>Wrong passwords in a row that lock the account (0 turns lockout off).</summary>
        public int MaxFailedAttempts { get; set; } = 10;

        public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
    }
}
