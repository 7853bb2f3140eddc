using System.Net;
using Marketplace.Domain.Listings;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>Many buyers racing for fewer items than they ask for: exactly the stock is sold, no item twice.</summary>
public sealed class ConcurrencyTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Parallel_orders_never_oversell_or_share_an_item()
    {
        const int stock = 7;
        var trade = await TradeSetup.CreateAsync(_app, items: stock);
        var buyers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _app.CreateApiClient().SignUpAsync()));

        // 30 orders of 1 or 2 items each: far more demand than stock.
        var attempts = Enumerable.Range(0, 30)
            .Select(i => buyers[i % buyers.Length].PlaceOrderRawAsync(trade.Listing.Id, quantity: 1 + i % 2))
            .ToList();
        var responses = await Task.WhenAll(attempts);

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var placed = new List<Marketplace.Application.Orders.OrderDto>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
            placed.Add(await ApiClient.ReadAsync<Marketplace.Application.Orders.OrderDto>(response, HttpStatusCode.Created));

        var reservedQuantity = placed.Sum(o => o.Quantity);
        Assert.True(reservedQuantity <= stock, $"Reserved {reservedQuantity} items out of {stock}.");
        // Only a request for 2 when exactly 1 is left may fail while stock remains.
        Assert.True(reservedQuantity >= stock - 1, $"Only {reservedQuantity} of {stock} items were reserved.");
        Assert.Equal(placed.Count, placed.Select(o => o.Payment.Comment).Distinct().Count());

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var items = await db.ListingItems.AsNoTracking().Where(i => i.ListingId == trade.Listing.Id).ToListAsync();
        var reserved = items.Where(i => i.Status == ListingItemStatus.Reserved).ToList();
        Assert.Equal(reservedQuantity, reserved.Count);
        foreach (var order in placed)
            Assert.Equal(order.Quantity, reserved.Count(i => i.OrderId == order.Id));
        var listing = await db.Listings.AsNoTracking().SingleAsync(l => l.Id == trade.Listing.Id);
        Assert.Equal(stock - reservedQuantity, listing.AvailableCount);
        Assert.Equal(listing.AvailableCount, items.Count(i => i.Status == ListingItemStatus.Available));
    }

    [Fact]
    public async Task An_order_larger_than_the_stock_is_refused_and_reserves_nothing()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);

        var response = await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, quantity: 3);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task A_seller_cannot_buy_from_their_own_listing()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);

        var response = await trade.Seller.PlaceOrderRawAsync(trade.Listing.Id, quantity: 1);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(1, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }
}
