using System.Collections.Frozen;
using Marketplace.Application.Payments.Rails;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// Connecting a QIWI wallet: the account is the phone number, and a token proves itself by reading the
/// profile (whose person id must be the account) and the payment history. Whether the token could also
/// manage notification hooks is asked without changing anything: reading the active hook needs the same
/// permission group (4, "payments without SMS") as registering one.
/// </summary>
public sealed class QiwiWalletConnector(IQiwiWalletApi api) : IWalletConnector
{
    // A wallet-to-wallet transfer (provider 99) and the payment form take "643" only (contract §6.1, §8);
    // the emulator refuses any other sum.currency. Foreign-currency balances exist, but a buyer cannot send them here.
    private static readonly FrozenSet<string> Receivable = FrozenSet.Create(StringComparer.Ordinal, QiwiCurrencies.Rub);

    public PaymentMethodId Method => QiwiRail.Method;

    public IReadOnlySet<string> ReceivableCurrencies => Receivable;

    public string? NormalizeAccount(string account) => QiwiAccountNumber.Normalize(account);

    public async Task<WalletAccess> VerifyAsync(WalletCredentials credentials, CancellationToken cancellationToken)
    {
        var personId = QiwiAccountNumber.ToPersonId(credentials.Account);
        var profile = await QiwiCalls.CallAsync(ct => api.GetProfileAsync(credentials.Token, true, false, false, ct), cancellationToken);
        if (profile.AuthInfo?.PersonId != personId)
            throw new PaymentRailException(PaymentRailErrorKind.AccountMismatch, "The token was issued for another wallet.");

        // The matcher depends on reading history: prove the token has that permission group now, not at the first order.
        // An empty history is a 404 on QIWI: readable, just nothing in it yet.
        await QiwiCalls.FindAsync(ct => api.GetPaymentsAsync(credentials.Token, personId, rows: 1, cancellationToken: ct), cancellationToken);

        return new WalletAccess(await CanManageNotificationsAsync(credentials.Token, cancellationToken));
    }

    /// <summary>GET hooks/active: 200 (a hook) or 404 (none) means the group is there; 403 means it is not.</summary>
    private async Task<bool> CanManageNotificationsAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            await QiwiCalls.FindAsync(ct => api.GetActiveWebhookAsync(token, ct), cancellationToken);
            return true;
        }
        catch (PaymentRailException ex) when (ex.Kind == PaymentRailErrorKind.MissingPermission)
        {
            return false;
        }
    }
}
