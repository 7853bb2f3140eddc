using Marketplace.Domain.Common;
using Marketplace.Domain.Payments;

namespace Marketplace.Application.Common.Interfaces;

/// <summary>
/// A wallet whose history we can read: QIWI now, any wallet with the same "transfer with a
/// comment, read the recipient's history" pattern later. Adapters translate wire formats into
/// <see cref="ObservedTransfer"/> and their errors into <see cref="PaymentRailException"/>.
/// </summary>
public interface IPaymentRail
{
    /// <summary>The provider name used in the API and stored on wallets, e.g. "qiwi".</summary>
    string Provider { get; }

    /// <summary>Normalises a wallet account as the user typed it; null when it is not a valid account for this rail.</summary>
    string? NormalizeAccount(string account);

    /// <summary>How long a person connecting a wallet waits for <see cref="VerifyAsync"/> before a 503.</summary>
    TimeSpan VerificationDeadline => TimeSpan.FromSeconds(5);

    /// <summary>Checks the token belongs to the account and can read the profile and payment history.</summary>
    Task VerifyAsync(WalletCredentials credentials, CancellationToken cancellationToken);

    /// <summary>All incoming transfers in [from, to], every page read, de-duplicated by transaction id.</summary>
    Task<IReadOnlyList<ObservedTransfer>> GetIncomingTransfersAsync(
        WalletCredentials credentials, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>A link to the rail's payment form with account, amount and comment pre-filled and locked.</summary>
    Uri BuildPaymentLink(string account, Money amount, string comment);
}

public sealed record WalletCredentials(string Account, string Token)
{
    // Never print the token, even by accident through a log of this record.
    public override string ToString() => $"WalletCredentials {{ Account = {Account} }}";
}

public interface IPaymentRails
{
    IReadOnlyCollection<string> Providers { get; }

    IPaymentRail? Find(string provider);

    IPaymentRail Get(string provider) =>
        Find(provider) ?? throw new InvalidOperationException($"No payment rail '{provider}' is configured.");
}

/// <summary>The rail refused or failed a call; <see cref="Kind"/> says what the caller can do about it.</summary>
public sealed class PaymentRailException(PaymentRailErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public PaymentRailErrorKind Kind { get; } = kind;
}

public enum PaymentRailErrorKind
{
    /// <summary>Token unknown, expired or revoked.</summary>
    InvalidCredentials,
    /// <summary>Token valid but lacks a permission group we need.</summary>
    MissingPermission,
    /// <summary>The token belongs to a different wallet than the one claimed.</summary>
    AccountMismatch,
    /// <summary>Rate-limited or blocked by the rail; back off.</summary>
    RateLimited,
    /// <summary>Timeouts, 5xx, malformed responses: try again later.</summary>
    Unavailable,
    /// <summary>The rail rejected our request as malformed.</summary>
    Rejected,
}
