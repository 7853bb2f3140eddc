namespace Marketplace.Domain.Payments;

/// <summary>
/// Money the seller sent back to the buyer for an order, verified in the seller's wallet history.
/// One outgoing transfer refunds at most once: (wallet, transaction id) is unique.
/// </summary>
public sealed class Refund
{
    public const int MaxRawLength = IncomingPayment.MaxRawLength;

    private Refund() { }

    public Refund(Guid id, Guid orderId, Guid? disputeId, Guid walletId, OutgoingTransfer transfer, DateTimeOffset verifiedAt)
    {
        Id = id;
        OrderId = orderId;
        DisputeId = disputeId;
        WalletId = walletId;
        TransactionId = transfer.TransactionId;
        Amount = transfer.Amount;
        Currency = transfer.Currency ?? "";
        RecipientAccount = transfer.RecipientAccount ?? "";
        OccurredAt = transfer.OccurredAt.ToUniversalTime();
        VerifiedAt = verifiedAt;
        Raw = transfer.Raw is { Length: <= MaxRawLength } raw ? raw : null;
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid? DisputeId { get; private set; }
    public Guid WalletId { get; private set; }
    public string TransactionId { get; private set; } = "";
    public decimal Amount { get; private set; }
    public string Currency { get; private set; } = "";
    public string RecipientAccount { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset VerifiedAt { get; private set; }
    /// <summary>The wallet's own record of the transfer, as read (evidence).</summary>
    public string? Raw { get; private set; }
}
