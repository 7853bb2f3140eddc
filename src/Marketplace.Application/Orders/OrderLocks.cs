using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Orders;

internal static class OrderLocks
{
    /// <summary>
    /// Inside a transaction, takes the order's row lock and returns the fresh, tracked order (null when
    /// it does not exist). Payment, expiry and cancellation all start here, so they lock rows in the same
    /// order (order first, then listing and items) and the loser sees the winner's result instead of deadlocking.
    /// </summary>
    public static async Task<Order?> LockOrderAsync(this IApplicationDbContext db, Guid orderId, CancellationToken cancellationToken)
    {
        // A no-op update: PostgreSQL holds the row lock until commit; SQLite serialises writers anyway.
        var locked = await db.Orders.Where(o => o.Id == orderId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Version, o => o.Version), cancellationToken);
        if (locked == 0) return null;
        var tracked = db.Orders.Local.FirstOrDefault(o => o.Id == orderId);
        if (tracked is not null) await db.Entry(tracked).ReloadAsync(cancellationToken);
        return tracked ?? await db.Orders.SingleAsync(o => o.Id == orderId, cancellationToken);
    }

    /// <summary>
    /// The same for many orders at once (a page of transfers): on PostgreSQL one <c>SELECT ... FOR UPDATE</c>
    /// locks (in id order) and loads them; elsewhere one no-op update takes every row lock and one query
    /// loads them. Returns the orders that exist, by id. Meant for orders not tracked yet.
    /// </summary>
    public static async Task<Dictionary<Guid, Order>> LockOrdersAsync(this IApplicationDbContext db, IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken)
    {
        if (orderIds.Count == 0) return [];
        if (db.OrdersForUpdate(orderIds) is { } locked) return await locked.ToDictionaryAsync(o => o.Id, cancellationToken);
        await db.Orders.Where(o => orderIds.Contains(o.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Version, o => o.Version), cancellationToken);
        return await db.Orders.Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
    }
}
