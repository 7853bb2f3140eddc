namespace Marketplace.Application.Payments.Rails;

/// <summary>
/// Sends money from a wallet to another account of the same rail, safely retried: the caller gives a
/// key that identifies the payment (stored before sending), and sending again with the same key never
/// pays twice. Only used for a refund the seller asks for, with a token the seller chose to give.
/// </summary>
public interface IRefundSender : IRailCapability
{
    /// <summary>A new idempotency key in the rail's format (QIWI: a numeric client id).</summary>
    string NewPaymentKey();

    /// <summary>Sends <paramref name="amount"/> to <paramref name="recipientAccount"/>; returns the rail's transaction id.</summary>
    Task<string> SendAsync(WalletCredentials credentials, string recipientAccount, decimal amount, string currency, string paymentKey,
        string comment, CancellationToken cancellationToken);
}
