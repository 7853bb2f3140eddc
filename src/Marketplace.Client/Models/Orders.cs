namespace Marketplace.Client.Models;

public sealed record PlaceOrderRequest(Guid ListingId, int Quantity = 1);

/// <summary>
/// An order as its buyer or seller sees it. <see cref="Status"/> is one of AwaitingPayment,
/// PaymentProcessing, PartiallyPaid, Delivered, Expired, Cancelled, RefundDue, Unverifiable (new ones may
/// be added: treat an unknown one as "not delivered yet").
/// </summary>
public sealed record Order(
    Guid Id, Guid ListingId, string Role, int Quantity, Money UnitPrice, Money Total, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt, DateTimeOffset? PaidAt, DateTimeOffset? DeliveredAt, DateTimeOffset? ExpiredAt, DateTimeOffset? CancelledAt,
    PaymentInstructions Payment, bool Sandbox, Money Paid, Money Surplus, bool PaidLate, DateTimeOffset? ProtectionEndsAt,
    DateTimeOffset? CompletedAt, Guid? OpenDisputeId, int? ItemCount, Money? Refunded, IReadOnlyList<OrderPayment>? Payments,
    IReadOnlyList<OrderHistoryEntry>? History)
{
    public bool IsDelivered => Status == "Delivered";
}

/// <summary>How to pay: send <see cref="Amount"/> <see cref="Currency"/> to <see cref="Account"/> with exactly <see cref="Comment"/> before <see cref="ExpiresAt"/>.</summary>
public sealed record PaymentInstructions(
    string Provider, string Account, decimal Amount, string Currency, string Comment, Uri PayUrl, DateTimeOffset ExpiresAt, bool Sandbox);

public sealed record OrderPayment(string TransactionId, Money Amount, DateTimeOffset OccurredAt, string Outcome, string Source, DateTimeOffset RecordedAt);

public sealed record OrderHistoryEntry(DateTimeOffset At, string? From, string To, string Reason, string? Rule, string? TransactionId);

/// <summary>A delivered item (key, code): the only place its plaintext is returned, to the order's buyer.</summary>
public sealed record DeliveredItem(Guid Id, string Payload, DateTimeOffset DeliveredAt, DateTimeOffset FirstRevealedAt, bool Replacement);

public sealed record ClaimPaymentRequest(string TransactionId, string PayerAccount);

public sealed record RatingRequest(int Stars, string? Comment = null);
