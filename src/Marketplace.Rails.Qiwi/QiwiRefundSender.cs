using Marketplace.Application.Payments.Rails;

namespace Marketplace.Rails.Qiwi;

/// <summary>A wallet-to-wallet transfer (provider 99) with the caller's client id, retried by <see cref="QiwiPayments"/> with that same id.</summary>
public sealed class QiwiRefundSender(QiwiPayments payments) : IRefundSender
{
    public PaymentMethodId Method => QiwiRail.Method;

    public string NewPaymentKey() => payments.NewClientId();

    public async Task<string> SendAsync(WalletCredentials credentials, string recipientAccount, decimal amount, string currency, string paymentKey,
        string comment, CancellationToken cancellationToken)
    {
        if (currency != "RUB") throw new PaymentRailException(PaymentRailErrorKind.Rejected, "QIWI wallet transfers are sent in RUB only.");
        var payment = await QiwiCalls.CallAsync(
            ct => payments.TransferToWalletAsync(credentials.Token, recipientAccount, amount, comment, paymentKey, ct), cancellationToken);
        return payment.Transaction.Id;
    }
}
