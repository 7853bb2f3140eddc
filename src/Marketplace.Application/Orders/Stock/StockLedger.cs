using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Orders.Stock;

/// <summary>
/// The one place items change hands: reserve for an order, give back to stock, sell. The listing's
/// stock counter moves first, by one atomic conditional update (the gate of ADR 0003, which also
/// locks the listing row until commit), then the item rows follow. Rows are always locked in the same
/// order (order, listing, items), so no two of these can deadlock. Call inside a transaction; the caller saves.
/// </summary>
public sealed class StockLedger(IApplicationDbContext db, TimeProvider clock, Webhooks.WebhookOutbox webhooks)
{
    /// <summary>Reserves <paramref name="quantity"/> items of the listing for the order; false (nothing changed) when there are not enough.</summary>
    public async Task<bool> TryReserveAsync(Guid listingId, Guid orderId, int quantity, CancellationToken cancellationToken)
    {
        var reserved = await db.Listings
            .Where(l => l.Id == listingId && l.AvailableCount >= quantity)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.AvailableCount, l => l.AvailableCount - quantity), cancellationToken);
        if (reserved == 0) return false;

        // Items this unit of work already changed and has not saved (a page that restocks twice, or
        // releases then restocks) differ from the rows: the tracked state is the truth.
        var changedHere = db.ListingItems.Local.Where(i => i.ListingId == listingId).ToList();
        var saved = await db.ListingItems
            .Where(i => i.ListingId == listingId && i.Status == ListingItemStatus.Available)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id)
            .Take(quantity + changedHere.Count(i => i.Status != ListingItemStatus.Available))
            .ToListAsync(cancellationToken);
        var items = saved.Concat(changedHere)
            .Where(i => i.Status == ListingItemStatus.Available)
            .Distinct()
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id)
            .Take(quantity)
            .ToList();
        if (items.Count < quantity)
            throw new InvalidOperationException($"Listing {listingId} stock counter is ahead of its available items.");
        foreach (var item in items) item.Reserve(orderId);
        await ReportLowStockAsync(listingId, quantity, cancellationToken);
        return true;
    }

    /// <summary>
    /// A new order's items, through the gate in as few round trips as the database allows (the order row is
    /// already written in this transaction; see <see cref="IApplicationDbContext.ReserveForNewOrderAsync"/>).
    /// A refusal reserves nothing. Tells the seller when the stock went low.
    /// </summary>
    public async Task<NewOrderReservation> ReserveForNewOrderAsync(
        Guid listingId, int listingVersion, Guid orderId, int quantity, CancellationToken cancellationToken)
    {
        var reservation = await db.ReserveForNewOrderAsync(listingId, listingVersion, orderId, quantity, cancellationToken);
        if (reservation.CrossedLowStock(quantity)) await ReportLowStockAsync(listingId, quantity, cancellationToken);
        return reservation;
    }

    /// <summary>
    /// This reservation took the stock from above the seller's threshold to it or below: tell the seller
    /// (webhook listing.stock_low). One primary-key read that finds nothing unless the threshold was just crossed.
    /// </summary>
    private async Task ReportLowStockAsync(Guid listingId, int taken, CancellationToken cancellationToken)
    {
        var crossed = await db.Listings.AsNoTracking()
            .Where(l => l.Id == listingId && l.LowStockThreshold != null
                        && l.AvailableCount <= l.LowStockThreshold && l.AvailableCount + taken > l.LowStockThreshold)
            .FirstOrDefaultAsync(cancellationToken);
        if (crossed is null) return;
        await webhooks.PublishAsync(Webhooks.WebhookEventTypes.ListingStockLow,
            [new Webhooks.WebhookRecipient(crossed.SellerId, Listings.ListingDto.ForOwner(crossed))], clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>The order's reserved items go back on sale.</summary>
    public async Task<int> ReleaseAsync(Order order, CancellationToken cancellationToken)
    {
        await db.Listings.Where(l => l.Id == order.ListingId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.AvailableCount, l => l.AvailableCount + order.Quantity), cancellationToken);
        var items = await ReservedItemsAsync(order.Id, cancellationToken);
        foreach (var item in items) item.ReturnToStock();
        if (items.Count != order.Quantity)
            throw new InvalidOperationException($"Order {order.Id} reserved {order.Quantity} items but {items.Count} were found.");
        return items.Count;
    }

    /// <summary>
    /// The order's reserved items now belong to its buyer. Items this unit of work has not loaded are not read
    /// at all: the save marks them sold, for every order sold in it, by one statement that fails the save unless
    /// each order held exactly its quantity of reserved items (<see cref="IApplicationDbContext.SellReservedItemsOnSave"/>).
    /// </summary>
    public async Task<int> SellAsync(Order order, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!db.ListingItems.Local.Any(i => i.OrderId == order.Id))
        {
            db.SellReservedItemsOnSave(order.Id, order.Quantity, now);
            return order.Quantity;
        }

        var items = await ReservedItemsAsync(order.Id, cancellationToken);
        foreach (var item in items) item.MarkSold(now);
        if (items.Count != order.Quantity)
            throw new InvalidOperationException($"Order {order.Id} reserved {order.Quantity} items but {items.Count} were found.");
        return items.Count;
    }

    /// <summary>
    /// One more item of the order's listing, sold to the order's buyer at once (a replacement in a
    /// dispute); null (nothing changed) when the listing has none left. Same gate as a reservation.
    /// </summary>
    public async Task<ListingItem?> TryTakeOneAsync(Order order, CancellationToken cancellationToken)
    {
        var alreadyHeld = db.ListingItems.Local.Where(i => i.OrderId == order.Id && i.Status == ListingItemStatus.Reserved).ToHashSet();
        if (!await TryReserveAsync(order.ListingId, order.Id, 1, cancellationToken)) return null;
        var taken = db.ListingItems.Local.Single(i => i.OrderId == order.Id && i.Status == ListingItemStatus.Reserved && !alreadyHeld.Contains(i));
        taken.MarkSold(clock.GetUtcNow());
        return taken;
    }

    /// <summary>
    /// The order's reserved items as this unit of work sees them: rows reserved in the database, and rows
    /// reserved moments ago in this same transaction and not saved yet (a late payment restocks, then sells).
    /// </summary>
    private async Task<List<ListingItem>> ReservedItemsAsync(Guid orderId, CancellationToken cancellationToken)
    {
        // Loaded already (the recorder loads the items of a page's orders in one query): no round trip.
        var tracked = db.ListingItems.Local.Where(i => i.OrderId == orderId && i.Status == ListingItemStatus.Reserved).ToList();
        var order = db.Orders.Local.FirstOrDefault(o => o.Id == orderId);
        if (order is not null && tracked.Count == order.Quantity) return tracked;

        var saved = await db.ListingItems.Where(i => i.OrderId == orderId && i.Status == ListingItemStatus.Reserved).ToListAsync(cancellationToken);
        return saved.Concat(db.ListingItems.Local)
            .Where(i => i.OrderId == orderId && i.Status == ListingItemStatus.Reserved)
            .Distinct()
            .ToList();
    }
}
