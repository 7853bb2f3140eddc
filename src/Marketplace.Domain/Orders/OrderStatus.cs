namespace Marketplace.Domain.Orders;

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
}
