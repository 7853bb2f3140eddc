namespace Marketplace.Application.Payments.Rails;

/// <summary>Connecting a seller's wallet: what an account looks like on this rail, and proof that a token works.</summary>
public interface IWalletConnector : IRailCapability
{
    /// <summary>Normalises a wallet account as the user typed it; null when it is not a valid account for this rail.</summary>
    string? NormalizeAccount(string account);

    /// <summary>Currencies (ISO 4217 alphabetic) a wallet on this rail can be paid in; listings in others are refused.</summary>
    IReadOnlySet<string> ReceivableCurrencies { get; }

    /// <summary>How long a person connecting a wallet waits for <see cref="VerifyAsync"/> before a 503.</summary>
    TimeSpan VerificationDeadline => TimeSpan.FromSeconds(5);

    /// <summary>
    /// Checks the token belongs to the account and can read the profile and the payment history, and
    /// reports (without changing anything on the wallet) whether it could also manage push notifications.
    /// </summary>
    Task<WalletAccess> VerifyAsync(WalletCredentials credentials, CancellationToken cancellationToken);
}

/// <summary>What a verified token may do beyond reading.</summary>
/// <param name="CanManageNotifications">
/// The token may register a push notification hook. On QIWI that needs the "payments without SMS"
/// group, which also allows spending: the seller opts in knowingly.
/// </param>
public sealed record WalletAccess(bool CanManageNotifications);

public sealed record WalletCredentials(string Account, string Token)
{
    // Never print the token, even by accident through a log of this record.
    public override string ToString() => $"WalletCredentials {{ Account = {Account} }}";
}
