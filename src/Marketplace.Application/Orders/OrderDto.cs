using Marketplace.Application.Common.Models;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;

namespace Marketplace.Application.Orders;

/// <param name="ItemCount">Items delivered (replacements included); the items themselves come from GET /orders/{id}/items, buyer only.</param>
/// <param name="ProtectionEndsAt">Until when the buyer may dispute the delivered goods; the order then completes by itself.</param>
/// <param name="Refunded">Refunds the seller made, verified in the wallet's history (never more than <c>paid</c>).</param>
/// <param name="CompletedAt">The buyer confirmed receipt, the protection window ended, or a dispute was decided: no more disputes.</param>
public sealed record OrderDto(
    Guid Id,
    Guid ListingId,
    string Role,
    int Quantity,
    MoneyDto UnitPrice,
    MoneyDto Total,
    OrderStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? ExpiredAt,
    DateTimeOffset? CancelledAt,
    PaymentInstructionsDto Payment,
    bool Sandbox,
    MoneyDto Paid,
    MoneyDto Surplus,
    bool PaidLate,
    DateTimeOffset? ProtectionEndsAt,
    DateTimeOffset? CompletedAt,
    Guid? OpenDisputeId,
    int? ItemCount = null,
    MoneyDto? Refunded = null,
    IReadOnlyList<OrderPaymentDto>? Payments = null,
    IReadOnlyList<OrderHistoryDto>? History = null);

/// <summary>
/// A delivered item as its buyer sees it (GET /orders/{id}/items). <c>firstRevealedAt</c> is when the
/// buyer was first shown it (kept as evidence); <c>replacement</c> marks an item delivered in a dispute.
/// </summary>
public sealed record DeliveredItemDto(Guid Id, string Payload, DateTimeOffset DeliveredAt, DateTimeOffset FirstRevealedAt, bool Replacement);

/// <summary>A transfer recorded against the order and what it became (docs/payment-matching.md lists the outcomes).</summary>
public sealed record OrderPaymentDto(
    string TransactionId, MoneyDto Amount, DateTimeOffset OccurredAt, PaymentOutcome Outcome, PaymentSource Source, DateTimeOffset RecordedAt);

/// <summary>One line of the order's history: why it is where it is. <c>rule</c> is a stable code; <c>transactionId</c> the transfer that caused it.</summary>
public sealed record OrderHistoryDto(DateTimeOffset At, OrderStatus? From, OrderStatus To, string Reason, string? Rule, string? TransactionId);

/// <summary>
/// Everything the buyer needs to pay: where, how much, and the comment that identifies the order.
/// <c>sandbox</c> true: the wallet is emulated; pay with sandbox money only, never a real wallet.
/// </summary>
public sealed record PaymentInstructionsDto(
    string Provider, string Account, decimal Amount, string Currency, string Comment, Uri PayUrl, DateTimeOffset ExpiresAt,
    bool Sandbox);

public static class OrderRoles
{
    public const string Buyer = "buyer";
    public const string Seller = "seller";
}
