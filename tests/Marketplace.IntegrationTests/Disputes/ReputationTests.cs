using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Reputation;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Disputes;

/// <summary>Ratings after completion, once per order, and the figures buyers see on listings and the seller's profile.</summary>
public sealed class ReputationTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_completed_order_is_rated_once_and_the_profile_and_listings_show_the_figures()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 4);
        var first = await DeliverAsync(trade);
        var second = await DeliverAsync(trade);
        var third = await DeliverAsync(trade);
        await trade.Buyer.OpenDisputeAsync(third); // disputed, not complete

        Assert.Equal(HttpStatusCode.Conflict, (await RateAsync(trade.Buyer, first, 5)).StatusCode); // not complete yet
        (await trade.Buyer.ConfirmReceiptRawAsync(first)).EnsureSuccessStatusCode();
        (await trade.Buyer.ConfirmReceiptRawAsync(second)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await RateAsync(trade.Seller, first, 5)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RateAsync(trade.Buyer, first, 5, "Instant delivery")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RateAsync(trade.Buyer, second, 4)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await RateAsync(trade.Buyer, first, 1)).StatusCode); // once per order
        Assert.Equal(HttpStatusCode.BadRequest, (await RateAsync(trade.Buyer, second, 6)).StatusCode);

        var anonymous = _app.CreateClient();
        var profile = await anonymous.GetFromJsonAsync<SellerProfileDto>($"/api/v1/sellers/{trade.Listing.SellerId}", ApiClient.Json, TestContext.Current.CancellationToken);
        Assert.Equal((4.50m, 2, 2), (profile!.Reputation.Rating, profile.Reputation.Ratings, profile.Reputation.CompletedOrders));
        Assert.Equal(0.3333m, profile.Reputation.DisputeRate); // one of three delivered orders
        Assert.Equal(0m, profile.Reputation.RefundRate);
        Assert.NotNull(profile.Reputation.MedianDeliverySeconds);
        Assert.Equal(["Instant delivery", null], profile.LatestRatings.OrderByDescending(r => r.Stars).Select(r => r.Comment));
        var listing = await trade.Buyer.GetListingAsync(trade.Listing.Id);
        Assert.Equal((4.50m, 2, 2), (listing.Seller!.Rating, listing.Seller.Ratings, listing.Seller.CompletedOrders));
        var catalog = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/listings?pageSize=100", TestContext.Current.CancellationToken);
        var inCatalog = catalog.GetProperty("items").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == trade.Listing.Id);
        Assert.Equal(4.5m, inCatalog.GetProperty("seller").GetProperty("rating").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/sellers/{Guid.NewGuid()}", TestContext.Current.CancellationToken)).StatusCode);
    }

    private async Task<Guid> DeliverAsync(TradeSetup trade)
    {
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, order.Total.Amount, order.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        return order.Id;
    }

    private static Task<HttpResponseMessage> RateAsync(ApiClient client, Guid order, int stars, string? comment = null) =>
        client.Http.PostAsJsonAsync($"/api/v1/orders/{order}/rating", new { stars, comment });
}
