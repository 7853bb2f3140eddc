namespace Marketplace.Application.Orders.Stock;

/// <summary>
/// What the stock gate answered for a new order (<see cref="Common.Interfaces.IApplicationDbContext.ReserveForNewOrderAsync"/>):
/// reserved, with the listing's counter and low-stock threshold as they are now, or refused because the
/// listing is not the version the order was priced from, is not on sale, or has too few items.
/// </summary>
public sealed record NewOrderReservation(bool Reserved, int AvailableAfter, int? LowStockThreshold)
{
    public static readonly NewOrderReservation Refused = new(false, 0, null);

    /// <summary>This reservation took the counter from above the seller's threshold to it or below.</summary>
    public bool CrossedLowStock(int taken) =>
        Reserved && LowStockThreshold is { } threshold && AvailableAfter <= threshold && AvailableAfter + taken > threshold;
}
