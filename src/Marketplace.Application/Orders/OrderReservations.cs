using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Orders;

internal static class OrderReservations
{
    /// <summary>
    /// The one way reserved items go back on sale, used by cancellation and by expiry. Call it inside
    /// the transaction that locked the order (<see cref="OrderLocks.LockAwaitingAsync"/>) and moved it
    /// out of AwaitingPayment: it increments the listing's stock counter atomically (the gate of
    /// ADR 0003), then marks the order's reserved items available. Rows are locked in the same order
    /// as delivery (order, listing, items), so no two of them can deadlock. The caller saves.
    /// </summary>
    public static async Task<int> ReturnReservedItemsAsync(this IApplicationDbContext db, Order order, CancellationToken cancellationToken)
    {
        if (order.Status is not (OrderStatus.Expired or OrderStatus.Cancelled))
            throw new InvalidOperationException($"Order {order.Id} is {order.Status}; only an expired or cancelled order gives its items back.");

        await db.Listings.Where(l => l.Id == order.ListingId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.AvailableCount, l => l.AvailableCount + order.Quantity), cancellationToken);
        var items = await db.ListingItems
            .Where(i => i.OrderId == order.Id && i.Status == ListingItemStatus.Reserved)
            .ToListAsync(cancellationToken);
        foreach (var item in items) item.ReturnToStock();
        if (items.Count != order.Quantity)
            throw new InvalidOperationException($"Order {order.Id} reserved {order.Quantity} items but {items.Count} were found.");
        return items.Count;
    }
}
