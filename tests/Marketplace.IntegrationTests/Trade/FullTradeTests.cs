using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Domain.Orders;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// The whole trade through the public API on PostgreSQL, paid through the QIWI emulator over real
/// HTTP, with the matcher running on its own timer as in production.
/// </summary>
public sealed class FullTradeTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres, backgroundWatcher: true);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Buyer_pays_with_the_comment_and_receives_the_items()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 3, price: 150.00m);

        var catalog = await trade.Buyer.Http.GetFromJsonAsync<JsonElement>("/api/v1/listings", ApiClient.Json);
        var shown = catalog.GetProperty("items").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == trade.Listing.Id);
        Assert.Equal(3, shown.GetProperty("stock").GetInt32());
        Assert.DoesNotContain(trade.Items[0], catalog.GetRawText(), StringComparison.Ordinal);

        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id, quantity: 2);
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Equal(300.00m, order.Payment.Amount);
        Assert.Equal("RUB", order.Payment.Currency);
        Assert.Equal("qiwi", order.Payment.Provider);
        Assert.Equal(trade.SellerPhone, order.Payment.Account);
        Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$", order.Payment.Comment);
        Assert.Contains("blocked%5B2%5D=comment", order.Payment.PayUrl.Query, StringComparison.Ordinal);
        Assert.Contains(order.Payment.Comment, order.Payment.PayUrl.Query, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await trade.Buyer.GetItemsRawAsync(order.Id)).StatusCode); // nothing to reveal before payment
        Assert.Equal(1, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);

        // The buyer types the comment carelessly: lower case, with spaces around it.
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 300.00m, $"  {order.Payment.Comment.ToLowerInvariant()} ");

        var delivered = await PollUntilAsync(trade.Buyer, order.Id, OrderStatus.Delivered);
        Assert.NotNull(delivered.PaidAt);
        Assert.Equal(2, delivered.ItemCount);
        var items = await trade.Buyer.GetItemsAsync(order.Id);
        Assert.Equal(2, items.Count);
        Assert.All(items, item => Assert.Contains(item, trade.Items));
        Assert.Equal(2, items.Distinct().Count());

        // The seller sees the order, but not the goods; a stranger cannot see it at all.
        var asSeller = await trade.Seller.GetOrderAsync(order.Id);
        Assert.Equal("seller", asSeller.Role);
        Assert.Equal(OrderStatus.Delivered, asSeller.Status);
        Assert.Equal(2, asSeller.ItemCount);
        Assert.Equal(HttpStatusCode.NotFound, (await trade.Seller.GetItemsRawAsync(order.Id)).StatusCode);
        var stranger = await _app.CreateApiClient().SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/orders/{order.Id}")).StatusCode);

        var buyerOrders = await trade.Buyer.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders", ApiClient.Json);
        var sellerOrders = await trade.Seller.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders?role=seller", ApiClient.Json);
        Assert.Equal(order.Id, buyerOrders.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.Equal(order.Id, sellerOrders.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.Equal(0, (await stranger.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders", ApiClient.Json)).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    internal static async Task<Marketplace.Application.Orders.OrderDto> PollUntilAsync(ApiClient client, Guid orderId, OrderStatus status)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var order = await client.GetOrderAsync(orderId);
            if (order.Status == status) return order;
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Order {orderId} is still {order.Status}, expected {status}.");
            await Task.Delay(100);
        }
    }
}
