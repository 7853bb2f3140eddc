namespace Marketplace.Domain.Payments;

/// <summary>
/// A refund the service was asked to send from the seller's wallet, written before anything is sent:
/// its <see cref="PaymentKey"/> is the rail's idempotency key, so a retry after a crash or a lost
/// answer sends the same payment again (the rail pays it once) instead of a second one. One pending
/// request per dispute.
/// </summary>
public sealed class RefundRequest
{
    private RefundRequest() { }

    public RefundRequest(Guid id, Guid disputeId, Guid orderId, Guid walletId, string recipientAccount, decimal amount, string currency,
        string paymentKey, DateTimeOffset requestedAt)
    {
        Id = id;
        DisputeId = disputeId;
        OrderId = orderId;
        WalletId = walletId;
        RecipientAccount = recipientAccount;
        Amount = amount;
        Currency = currency;
        PaymentKey = paymentKey;
        RequestedAt = requestedAt;
    }

    public Guid Id { get; private set; }
    public Guid DisputeId { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid WalletId { get; private set; }
    public string RecipientAccount { get; private set; } = "";
    public decimal Amount { get; private set; }
    public string Currency { get; private set; } = "";
    public string PaymentKey { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    /// <summary>The rail's transaction, once sent and verified.</summary>
    public string? TransactionId { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    public void Complete(string transactionId, DateTimeOffset at)
    {
        TransactionId = transactionId;
        CompletedAt = at;
    }
}
