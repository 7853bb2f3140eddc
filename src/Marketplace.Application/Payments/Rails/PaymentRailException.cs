namespace Marketplace.Application.Payments.Rails;

/// <summary>The rail refused or failed a call; <see cref="Kind"/> says what the caller can do about it.</summary>
public sealed class PaymentRailException(PaymentRailErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public PaymentRailErrorKind Kind { get; } = kind;

    /// <summary>The token itself is the problem: the seller has to reconnect the wallet.</summary>
    public bool CredentialsRejected => Kind is PaymentRailErrorKind.InvalidCredentials or PaymentRailErrorKind.MissingPermission
        or PaymentRailErrorKind.AccountMismatch;
}

public enum PaymentRailErrorKind
{
    /// <summary>Token unknown, expired or revoked.</summary>
    InvalidCredentials,
    /// <summary>Token valid but lacks a permission group we need.</summary>
    MissingPermission,
    /// <summary>The token belongs to a different wallet than the one claimed.</summary>
    AccountMismatch,
    /// <summary>Rate-limited or blocked by the rail, or our own request budget is spent; back off.</summary>
    RateLimited,
    /// <summary>Timeouts, 5xx, malformed responses: try again later.</summary>
    Unavailable,
    /// <summary>The rail rejected our request as malformed.</summary>
    Rejected,
    /// <summary>The wallet already has a push hook that is not ours.</summary>
    HookExists,
}
