namespace Marketplace.Domain.Orders;

/// <summary>
/// Where an order stands. The first three hold the order's items reserved; <see cref="Delivered"/>
/// has sold them; the rest have given them back to stock. docs/payment-matching.md has the diagram.
/// </summary>
public enum OrderStatus
{
    /// <summary>Items are reserved; the buyer has until <see cref="Order.ExpiresAt"/> to pay.</summary>
    AwaitingPayment = 0,
    /// <summary>A matching transfer was recorded and the items were released to the buyer.</summary>
    Delivered = 1,
    /// <summary>No valid payment arrived in time; the items went back to stock.</summary>
    Expired = 2,
    /// <summary>The buyer cancelled before paying; the items went back to stock.</summary>
    Cancelled = 3,
    /// <summary>The wallet shows a transfer for this order that is not final yet (QIWI: WAITING); items stay reserved.</summary>
    PaymentProcessing = 4,
    /// <summary>Transfers with this order's comment add up to less than the total; a top-up before the deadline completes it.</summary>
    PartiallyPaid = 5,
    /// <summary>The buyer paid, but the order cannot be fulfilled (late with no stock left, partly paid at the deadline, paid after cancelling): the seller owes a refund.</summary>
    RefundDue = 6,
    /// <summary>The seller's wallet could not be read for too long to decide the order; the items went back to stock.</summary>
    Unverifiable = 7,
}

public static class OrderStatuses
{
    /// <summary>States in which the order's items are reserved for it.</summary>
    public static readonly IReadOnlyList<OrderStatus> HoldingStock =
        [OrderStatus.AwaitingPayment, OrderStatus.PaymentProcessing, OrderStatus.PartiallyPaid];

    public static bool HoldsStock(this OrderStatus status) =>
        status is OrderStatus.AwaitingPayment or OrderStatus.PaymentProcessing or OrderStatus.PartiallyPaid;
}
