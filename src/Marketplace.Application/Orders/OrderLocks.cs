using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Orders;

internal static class OrderLocks
{
    /// <summary>
    /// Inside a transaction, takes the order's row lock if the order still awaits payment and
    /// returns the fresh order, else null. Delivery, expiry and cancellation all start here, so they lock rows
    /// in the same order (order first) and the loser sees the winner's result instead of deadlocking.
    /// </summary>
    public static async Task<Order?> LockAwaitingAsync(this IApplicationDbContext db, Guid orderId, CancellationToken cancellationToken)
    {
        var locked = await db.Orders
            .Where(o => o.Id == orderId && o.Status == OrderStatus.AwaitingPayment)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Version, o => o.Version), cancellationToken);
        if (locked == 0) return null;
        return await db.Orders.SingleAsync(o => o.Id == orderId, cancellationToken);
    }
}
