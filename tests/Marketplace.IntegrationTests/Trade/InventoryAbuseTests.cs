using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Listings;
using Marketplace.Application.Orders;
using Marketplace.Application.Orders.PlaceOrder;
using Marketplace.Domain.Orders;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// One unfunded account must not be able to hold a listing's stock: unpaid orders are capped per
/// buyer (overall and per listing, also under parallel requests), and a seller caps each order's quantity.
/// </summary>
public sealed class InventoryAbuseTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int MaxUnpaid = 3;
    private const int MaxUnpaidPerListing = 2;

    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
    {
        ["Orders:Limits:MaxUnpaidOrdersPerBuyer"] = MaxUnpaid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orders:Limits:MaxUnpaidOrdersPerBuyerPerListing"] = MaxUnpaidPerListing.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void The_production_defaults_are_five_unpaid_orders_and_two_per_listing()
    {
        var defaults = new OrderLimitsOptions();
        Assert.Equal(5, defaults.MaxUnpaidOrdersPerBuyer);
        Assert.Equal(2, defaults.MaxUnpaidOrdersPerBuyerPerListing);
    }

    [Fact]
    public async Task A_buyer_cannot_hold_more_unpaid_orders_on_one_listing_than_the_cap()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 10);
        for (var i = 0; i < MaxUnpaidPerListing; i++) await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);

        var refused = await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1);

        await AssertProblemAsync(refused, HttpStatusCode.Conflict, "order.too_many_unpaid");
        Assert.Equal(10 - MaxUnpaidPerListing, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
        // Another buyer is not affected.
        var other = await _app.CreateApiClient().SignUpAsync();
        await other.PlaceOrderAsync(trade.Listing.Id);
    }

    [Fact]
    public async Task A_buyer_cannot_hold_more_unpaid_orders_overall_than_the_cap()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 5);
        var listings = await ExtraListingsAsync(trade, count: MaxUnpaid, itemsEach: 2);
        for (var i = 0; i < MaxUnpaid; i++) await trade.Buyer.PlaceOrderAsync(listings[i].Id);

        var refused = await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1);

        await AssertProblemAsync(refused, HttpStatusCode.Conflict, "order.too_many_unpaid");
        Assert.Equal(5, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task Paying_or_cancelling_an_order_frees_its_slot()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 10);
        var first = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var second = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        Assert.Equal(HttpStatusCode.Conflict, (await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1)).StatusCode);

        await trade.Buyer.CancelOrderAsync(first.Id);
        var third = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        Assert.Equal(HttpStatusCode.Conflict, (await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1)).StatusCode);

        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, second.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(second.Id)).Status);
        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(third.Id)).Status);
    }

    [Fact]
    public async Task Parallel_placements_by_one_buyer_on_one_listing_never_pass_the_per_listing_cap()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 20);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1)));

        Assert.Equal(MaxUnpaidPerListing, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await AssertProblemAsync(refused, HttpStatusCode.Conflict, "order.too_many_unpaid");
        Assert.Equal(MaxUnpaidPerListing, await UnpaidOrdersAsync(trade.Listing.Id));
        Assert.Equal(20 - MaxUnpaidPerListing, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task Parallel_placements_by_one_buyer_across_listings_never_pass_the_overall_cap()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 0);
        var listings = await ExtraListingsAsync(trade, count: 6, itemsEach: 3);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => trade.Buyer.PlaceOrderRawAsync(listings[i % listings.Count].Id, 1)));

        Assert.Equal(MaxUnpaid, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await AssertProblemAsync(refused, HttpStatusCode.Conflict, "order.too_many_unpaid");
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var listingIds = listings.Select(l => l.Id).ToList();
        Assert.Equal(MaxUnpaid, await db.Orders.CountAsync(o => listingIds.Contains(o.ListingId) && o.Status == OrderStatus.AwaitingPayment));
        Assert.Equal(listings.Count * 3 - MaxUnpaid, await db.Listings.Where(l => listingIds.Contains(l.Id)).SumAsync(l => l.AvailableCount));
    }

    [Fact]
    public async Task A_listing_shows_its_maximum_quantity_per_order_which_defaults_to_ten()
    {
        var defaulted = await TradeSetup.CreateAsync(_app, items: 1);
        var capped = await TradeSetup.CreateAsync(_app, items: 1, maxQuantityPerOrder: 3);

        Assert.Equal(10, defaulted.Listing.MaxQuantityPerOrder);
        Assert.Equal(3, capped.Listing.MaxQuantityPerOrder);
        Assert.Equal(3, (await capped.Buyer.GetListingAsync(capped.Listing.Id)).MaxQuantityPerOrder);
        var catalog = await capped.Buyer.Http.GetFromJsonAsync<JsonElement>("/api/v1/listings?pageSize=100", ApiClient.Json);
        Assert.Contains(catalog.GetProperty("items").EnumerateArray(),
            l => l.GetProperty("id").GetGuid() == capped.Listing.Id && l.GetProperty("maxQuantityPerOrder").GetInt32() == 3);
    }

    [Fact]
    public async Task An_order_above_the_listing_maximum_quantity_is_refused_naming_quantity_and_reserves_nothing()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 6, maxQuantityPerOrder: 3);

        var refused = await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 4);

        var problem = await AssertProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "order.quantity_above_listing_max");
        Assert.True(problem.GetProperty("errors").TryGetProperty("quantity", out _), problem.ToString());
        Assert.Equal(6, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
        Assert.Equal(3, (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id, 3)).Quantity);
    }

    private async Task<List<ListingDto>> ExtraListingsAsync(TradeSetup trade, int count, int itemsEach)
    {
        var listings = new List<ListingDto>();
        for (var i = 0; i < count; i++)
        {
            var listing = await trade.Seller.CreateListingAsync(trade.SellerWallet.Id);
            await trade.Seller.AddItemsAsync(listing.Id, Enumerable.Range(0, itemsEach).Select(_ => $"KEY-{Guid.NewGuid():N}").ToArray());
            listings.Add(listing);
        }

        return listings;
    }

    private async Task<int> UnpaidOrdersAsync(Guid listingId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Orders
            .CountAsync(o => o.ListingId == listingId && o.Status == OrderStatus.AwaitingPayment);
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }
}

/// <summary>The "orders" rate-limit policy: per account, 429 with Retry-After, other accounts unaffected.</summary>
public sealed class OrderRateLimitTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Permits = 3;
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
    {
        ["Orders:RateLimit:PermitLimit"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orders:RateLimit:Window"] = "01:00:00",
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Placing_orders_too_fast_is_a_429_with_retry_after_for_that_account_only()
    {
        var buyer = await _app.CreateApiClient().SignUpAsync();
        // Every attempt counts, whatever its outcome (here: 404 for a listing that does not exist).
        for (var i = 0; i < Permits; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await buyer.PlaceOrderRawAsync(Guid.NewGuid(), 1)).StatusCode);

        var limited = await buyer.PlaceOrderRawAsync(Guid.NewGuid(), 1);

        await InventoryAbuseTests.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);

        var other = await _app.CreateApiClient().SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.PlaceOrderRawAsync(Guid.NewGuid(), 1)).StatusCode);
        // Placing (and cancelling, which reads the seller's wallet) is limited; reading is not.
        Assert.Equal(HttpStatusCode.OK, (await buyer.Http.GetAsync("/api/v1/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await buyer.CancelOrderRawAsync(Guid.NewGuid())).StatusCode);
        // Anonymous callers are refused by authentication before they reach the limiter.
        var anonymous = await _app.CreateClient().PostAsJsonAsync("/api/v1/orders", new { listingId = Guid.NewGuid(), quantity = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
