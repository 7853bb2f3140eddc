using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Listings;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Listings;

/// <summary>The catalog: search, each filter and sort, keyset paging while listings are added, ETags.</summary>
public sealed class CatalogTests(ListingWorld world) : IClassFixture<ListingWorld>
{
    private static async Task<JsonElement> CatalogAsync(ApiClient client, string query)
    {
        var response = await client.Http.GetAsync("/api/v1/listings?" + query);
        var body = await ListingWorld.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static List<Guid> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()).ToList();

    [Fact]
    public async Task Text_search_category_price_currency_and_seller_filter_the_catalog()
    {
        var trade = await world.TradeAsync(items: 1, price: 100.00m);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var category = $"cat-{tag}";
        var cheap = await ListingWorld.ListingAsync(trade, $"Cheap {tag} Edition", category, 10.00m);
        world.App.FakeClock.Advance(TimeSpan.FromSeconds(1)); // newest first: the dear one leads
        var dear = await ListingWorld.ListingAsync(trade, "Deluxe", category, 500.00m, description: $"The {tag.ToUpperInvariant()} deluxe bundle");
        var seller = trade.Listing.SellerId;

        Assert.Equal([dear.Id, cheap.Id], Ids(await CatalogAsync(trade.Buyer, $"q={tag}")));
        Assert.Equal([dear.Id, cheap.Id], Ids(await CatalogAsync(trade.Buyer, $"q={tag.ToUpperInvariant()}&category={category}")));
        Assert.Equal([cheap.Id], Ids(await CatalogAsync(trade.Buyer, $"category={category}&maxPrice=10")));
        Assert.Equal([dear.Id], Ids(await CatalogAsync(trade.Buyer, $"category={category}&minPrice=10.01")));
        Assert.Equal([dear.Id, cheap.Id], Ids(await CatalogAsync(trade.Buyer, $"category={category}&currency=RUB")));
        Assert.Empty(Ids(await CatalogAsync(trade.Buyer, $"category={category}&currency=USD")));
        Assert.Equal(3, Ids(await CatalogAsync(trade.Buyer, $"sellerId={seller}")).Count);
        Assert.Empty(Ids(await CatalogAsync(trade.Buyer, $"sellerId={Guid.NewGuid()}")));
    }

    [Fact]
    public async Task Sorts_by_price_either_way_and_by_the_sellers_rating()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var category = $"sort-{tag}";
        var good = await world.TradeAsync(items: 1);
        var plain = await world.TradeAsync(items: 1);
        var a = await ListingWorld.ListingAsync(good, "A", category, 30.00m);
        world.App.FakeClock.Advance(TimeSpan.FromSeconds(1));
        var b = await ListingWorld.ListingAsync(plain, "B", category, 10.00m);
        world.App.FakeClock.Advance(TimeSpan.FromSeconds(1));
        var c = await ListingWorld.ListingAsync(plain, "C", category, 20.00m);

        // The first seller earns five stars on a completed order.
        var order = await good.Buyer.PlaceOrderAsync(good.Listing.Id);
        await world.PayAsync(good, order);
        (await good.Buyer.ConfirmReceiptRawAsync(order.Id)).EnsureSuccessStatusCode();
        (await good.Buyer.Http.PostAsync($"/api/v1/orders/{order.Id}/rating",
            System.Net.Http.Json.JsonContent.Create(new { stars = 5 }))).EnsureSuccessStatusCode();

        Assert.Equal([b.Id, c.Id, a.Id], Ids(await CatalogAsync(good.Buyer, $"category={category}&sort=price_asc")));
        Assert.Equal([a.Id, c.Id, b.Id], Ids(await CatalogAsync(good.Buyer, $"category={category}&sort=price_desc")));
        Assert.Equal([c.Id, b.Id, a.Id], Ids(await CatalogAsync(good.Buyer, $"category={category}&sort=newest")));
        var rated = await CatalogAsync(good.Buyer, $"category={category}&sort=rating");
        Assert.Equal(a.Id, Ids(rated)[0]);
        Assert.Equal(5.00m, rated.GetProperty("items")[0].GetProperty("seller").GetProperty("rating").GetDecimal());
    }

    [Theory]
    [InlineData("newest")]
    [InlineData("price_asc")]
    [InlineData("price_desc")]
    [InlineData("rating")]
    public async Task Keyset_paging_visits_every_listing_once_while_listings_are_added(string sort)
    {
        var trade = await world.TradeAsync(items: 0);
        var category = $"page-{Guid.NewGuid().ToString("N")[..10]}";
        var original = new List<Guid>();
        foreach (var price in new[] { 5m, 5m, 7m, 1m, 9m, 7m, 3m })
        {
            world.App.FakeClock.Advance(TimeSpan.FromSeconds(1));
            original.Add((await ListingWorld.ListingAsync(trade, "Paged", category, price)).Id);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await CatalogAsync(trade.Buyer, $"category={category}&sort={sort}&pageSize=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("nextCursor").GetString();
            // A listing added mid-way (newest: it sorts before the cursor; by price: anywhere) must not duplicate or hide others.
            if (pages++ == 1)
            {
                world.App.FakeClock.Advance(TimeSpan.FromSeconds(1));
                await ListingWorld.ListingAsync(trade, "Added while paging", category, 4m);
            }
        }
        while (cursor is not null && pages < 20);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(original, id => Assert.Contains(id, seen));
    }

    [Fact]
    public async Task Invalid_filters_are_400s_naming_the_parameter()
    {
        var client = world.App.CreateApiClient();
        foreach (var (query, field) in new[]
                 {
                     ("sort=cheapest", "sort"), ("minPrice=-1", "minPrice"), ("maxPrice=1.001", "maxPrice"), ("minPrice=10&maxPrice=5", "maxPrice"),
                     ("currency=XXX", "currency"), ("cursor=not-a-cursor", "cursor"), ("sellerId=nope", "sellerId"), ("pageSize=0", "pageSize"),
                     ("q=" + new string('a', 101), "q"),
                 })
        {
            var response = await client.Http.GetAsync("/api/v1/listings?" + query);
            var body = await ListingWorld.JsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode} {body}");
            Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {body}");
        }

        // A cursor of one sort is not a cursor of another.
        var trade = await world.TradeAsync(items: 0);
        var category = $"cur-{Guid.NewGuid().ToString("N")[..10]}";
        await ListingWorld.ListingAsync(trade, "One", category);
        await ListingWorld.ListingAsync(trade, "Two", category);
        var cursor = (await CatalogAsync(client, $"category={category}&pageSize=1")).GetProperty("nextCursor").GetString();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Http.GetAsync($"/api/v1/listings?category={category}&pageSize=1&sort=price_asc&cursor={cursor}")).StatusCode);
    }

    [Fact]
    public async Task ETags_answer_304_until_the_listing_or_its_stock_changes()
    {
        var trade = await world.TradeAsync(items: 2);
        var url = $"/api/v1/listings/{trade.Listing.Id}";
        var catalogUrl = $"/api/v1/listings?sellerId={trade.Listing.SellerId}";
        var first = await trade.Buyer.Http.GetAsync(url);
        var etag = first.Headers.ETag!;
        var catalogETag = (await trade.Buyer.Http.GetAsync(catalogUrl)).Headers.ETag!;

        Assert.Equal(HttpStatusCode.NotModified, (await Conditional(trade, url, etag.Tag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await Conditional(trade, catalogUrl, catalogETag.Tag)).StatusCode);

        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id); // stock moves
        var afterOrder = await Conditional(trade, url, etag.Tag);
        Assert.Equal(HttpStatusCode.OK, afterOrder.StatusCode);
        Assert.NotEqual(etag.Tag, afterOrder.Headers.ETag!.Tag);
        Assert.Equal(1, (await ApiClient.ReadAsync<ListingDto>(afterOrder, HttpStatusCode.OK)).Stock);
        Assert.Equal(HttpStatusCode.OK, (await Conditional(trade, catalogUrl, catalogETag.Tag)).StatusCode);

        var current = afterOrder.Headers.ETag!.Tag;
        await trade.Seller.AddItemsAsync(trade.Listing.Id, $"MORE-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.OK, (await Conditional(trade, url, current)).StatusCode);
    }

    [Fact]
    public async Task The_catalog_is_cached_for_every_caller_until_something_it_shows_changes()
    {
        var trade = await world.TradeAsync(items: 2);
        var id = trade.Listing.Id;
        var query = $"sellerId={trade.Listing.SellerId}";
        var anonymous = world.App.CreateApiClient();

        var first = await anonymous.Http.GetAsync("/api/v1/listings?" + query);
        var second = await trade.Buyer.Http.GetAsync("/api/v1/listings?" + query); // signed in: the same page, from the cache
        Assert.Null(first.Headers.Age);
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await Conditional(trade, "/api/v1/listings?" + query, first.Headers.ETag!.Tag)).StatusCode);

        // Each thing the catalog shows is seen on the very next read: an edit, new stock, a pause.
        var edited = await trade.Seller.Http.PatchAsJsonAsync($"/api/v1/listings/{id}", new { title = "Renamed edition" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("Renamed edition", Entry(await CatalogAsync(anonymous, query), id).GetProperty("title").GetString());
        await trade.Seller.AddItemsAsync(id, $"MORE-{Guid.NewGuid():N}");
        Assert.Equal(3, Entry(await CatalogAsync(anonymous, query), id).GetProperty("stock").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await trade.Seller.Http.PostAsync($"/api/v1/listings/{id}/pause", null)).StatusCode);
        Assert.DoesNotContain(id, Ids(await CatalogAsync(anonymous, query)));
    }

    private static JsonElement Entry(JsonElement page, Guid id) =>
        page.GetProperty("items").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == id);

    private static Task<HttpResponseMessage> Conditional(TradeSetup trade, string url, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        return trade.Buyer.Http.SendAsync(request);
    }
}
