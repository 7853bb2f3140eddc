using Marketplace.Application.Payments.Rails;

namespace Marketplace.Application.Payments;

/// <summary>Which currencies a wallet can be paid in: its rail's connector says (QIWI: RUB only).</summary>
internal static class ReceivableCurrencies
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    /// <summary>
    /// True when a wallet of <paramref name="provider"/> can receive <paramref name="currency"/>;
    /// <paramref name="receivable"/> is what it can receive (nothing when no configured rail connects such wallets).
    /// </summary>
    public static bool CanReceive(IRailRegistry rails, string provider, string currency, out IReadOnlySet<string> receivable)
    {
        receivable = PaymentMethodId.TryParse(provider) is { } method && rails.Find<IWalletConnector>(method) is { } connector
            ? connector.ReceivableCurrencies
            : None;
        return receivable.Contains(currency);
    }
}
