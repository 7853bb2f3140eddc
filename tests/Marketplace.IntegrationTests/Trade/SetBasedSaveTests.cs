using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// The matcher's set-based save (ADR 0019) keeps the checks of the ordinary one: a row changed since it was
/// read, or an order sold without exactly its reserved items, fails the save and nothing of it is kept.
/// </summary>
public sealed class SetBasedSaveTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_order_changed_since_it_was_read_fails_the_save_and_nothing_of_it_is_kept()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var placed = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var order = await db.Orders.SingleAsync(o => o.Id == placed.Id);
        // Another writer moves the order's version after this unit of work read it.
        using (var other = _app.Services.CreateScope())
            await other.ServiceProvider.GetRequiredService<IApplicationDbContext>().Orders.Where(o => o.Id == placed.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Version, o => o.Version + 1));

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            order.Cancel(_app.FakeClock.GetUtcNow());
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesSetBasedAsync([], CancellationToken.None));
        }

        var now = await trade.Buyer.GetOrderAsync(placed.Id);
        Assert.Equal(OrderStatus.AwaitingPayment, now.Status);
        Assert.Equal(1, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task A_sale_is_written_only_when_the_order_holds_exactly_its_quantity_of_reserved_items()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var placed = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
        var now = _app.FakeClock.GetUtcNow();

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.SellReservedItemsOnSave(placed.Id, 2, now);
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesSetBasedAsync([], CancellationToken.None));
        }

        Assert.Equal(0, await SoldAsync(placed.Id));

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.SellReservedItemsOnSave(placed.Id, 1, now);
            await db.SaveChangesSetBasedAsync([], CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await SoldAsync(placed.Id));
    }

    private async Task<int> SoldAsync(Guid orderId)
    {
        using var scope = _app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IApplicationDbContext>().ListingItems
            .CountAsync(i => i.OrderId == orderId && i.Status == ListingItemStatus.Sold);
    }
}
