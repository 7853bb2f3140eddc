using System.Globalization;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Common;

namespace Marketplace.Rails.Qiwi;

/// <summary>The payment form deep link (contract §8) for a wallet transfer, provider 99.</summary>
public sealed class QiwiPaymentLinks(QiwiEndpoint endpoint) : IPaymentLinkBuilder
{
    public PaymentMethodId Method => QiwiRail.Method;

    public Uri Build(string account, Money amount, string comment)
    {
        var whole = decimal.Truncate(amount.Amount);
        var fraction = (int)((amount.Amount - whole) * 100);
        // Account, sum and comment locked, so the buyer cannot alter the comment that identifies the order.
        var query = string.Join('&',
            "extra%5B%27account%27%5D=" + Uri.EscapeDataString(account.TrimStart('+')),
            "amountInteger=" + whole.ToString(CultureInfo.InvariantCulture),
            "amountFraction=" + fraction.ToString(CultureInfo.InvariantCulture),
            "currency=" + QiwiCurrencies.ToNumeric(amount.Currency).ToString(CultureInfo.InvariantCulture),
            "extra%5B%27comment%27%5D=" + Uri.EscapeDataString(comment),
            "blocked%5B0%5D=sum",
            "blocked%5B1%5D=account",
            "blocked%5B2%5D=comment");
        return new Uri(endpoint.PaymentFormBase, $"payment/form/{QiwiPayments.WalletTransferProvider}?{query}");
    }

    /// <summary>
    /// The form for a transfer by nickname (provider 99999, contract §8), which hides the wallet number from
    /// the payer: <c>extra['accountType']=nickname</c>, account and sum locked. It carries no comment (QIWI
    /// took one on provider 99 only), so it cannot identify an order: the marketplace's links use <see cref="Build"/>.
    /// </summary>
    public Uri BuildNicknameLink(string nickname, Money amount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nickname);
        var whole = decimal.Truncate(amount.Amount);
        var fraction = (int)((amount.Amount - whole) * 100);
        var query = string.Join('&',
            "extra%5B%27account%27%5D=" + Uri.EscapeDataString(nickname),
            "amountInteger=" + whole.ToString(CultureInfo.InvariantCulture),
            "amountFraction=" + fraction.ToString(CultureInfo.InvariantCulture),
            "currency=" + QiwiCurrencies.ToNumeric(amount.Currency).ToString(CultureInfo.InvariantCulture),
            "extra%5B%27accountType%27%5D=nickname",
            "blocked%5B0%5D=sum",
            "blocked%5B1%5D=account");
        return new Uri(endpoint.PaymentFormBase, $"payment/form/{QiwiPayments.NicknameTransferProvider}?{query}");
    }
}
