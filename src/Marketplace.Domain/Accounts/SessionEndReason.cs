namespace Marketplace.Domain.Accounts;

public enum SessionEndReason
{
    /// <summary>The user logged out of this session.</summary>
    Logout,
    /// <summary>The password changed: every session of the account ends.</summary>
    PasswordChanged,
    /// <summary>A refresh token was presented a second time: the family is treated as stolen.</summary>
    RefreshTokenReused,
}
