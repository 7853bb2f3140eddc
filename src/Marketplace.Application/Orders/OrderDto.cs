using Marketplace.Application.Common.Models;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;

namespace Marketplace.Application.Orders;

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
    IReadOnlyList<string>? Items,
    bool Sandbox,
    MoneyDto Paid,
    MoneyDto Surplus,
    bool PaidLate,
    IReadOnlyList<OrderPaymentDto>? Payments = null,
    IReadOnlyList<OrderHistoryDto>? History = null);

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
