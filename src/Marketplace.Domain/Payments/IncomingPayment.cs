namespace Marketplace.Domain.Payments;

/// <summary>
/// A transfer recorded against an order. The pair (Provider, ProviderTransactionId) is unique in
/// the database: one transfer is recorded once, and so can pay at most one order.
/// Rejected transfers are recorded too, as evidence for disputes and refunds.
/// </summary>
public sealed class IncomingPayment
{
    private IncomingPayment() { }

    public IncomingPayment(
        Guid id, string provider, Guid walletId, Guid orderId, ObservedTransfer transfer,
        PaymentOutcome outcome, DateTimeOffset recordedAt)
    {
        Id = id;
        Provider = provider;
        ProviderTransactionId = transfer.TransactionId;
        WalletId = walletId;
        OrderId = orderId;
        Amount = transfer.Amount;
        Currency = transfer.Currency ?? "";
        Comment = transfer.Comment;
        SenderAccount = transfer.SenderAccount;
        OccurredAt = transfer.OccurredAt.ToUniversalTime();
        Outcome = outcome;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public string Provider { get; private set; } = "";
    public string ProviderTransactionId { get; private set; } = "";
    public Guid WalletId { get; private set; }
    public Guid OrderId { get; private set; }
    public decimal Amount { get; private set; }
    public string Currency { get; private set; } = "";
    public string? Comment { get; private set; }
    public string? SenderAccount { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public PaymentOutcome Outcome { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}
