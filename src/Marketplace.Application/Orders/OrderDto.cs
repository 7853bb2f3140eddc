using Marketplace.Application.Common.Models;
using Marketplace.Domain.Orders;

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
    bool Sandbox);

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
