using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.Listings;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Wallets;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.IntegrationTests.Listings;

/// <summary>Seller tools: edit (price for new orders only, If-Match), pause / resume / archive, the item ledger, removal, export.</summary>
public sealed class ListingManagementTests(ListingWorld world) : IClassFixture<ListingWorld>
{
    private static HttpRequestMessage Patch(Guid id, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/listings/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    [Fact]
    public async Task An_edit_changes_the_listing_and_a_new_price_applies_only_to_orders_placed_after_it()
    {
        var trade = await world.TradeAsync(items: 3, price: 150.00m);
        var before = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);

        var response = await trade.Seller.Http.SendAsync(Patch(trade.Listing.Id, new
        {
            title = "Game key (EU)", price = new { amount = 200.00m, currency = "RUB" }, maxQuantityPerOrder = 2, protectionHours = 48,
        }));
        var edited = await ApiClient.ReadAsync<ListingDto>(response, HttpStatusCode.OK);

        Assert.Equal("Game key (EU)", edited.Title);
        Assert.Equal("Activation key", edited.Description); // absent fields stay
        Assert.Equal(200.00m, edited.Price.Amount);
        Assert.Equal(2, edited.MaxQuantityPerOrder);
        Assert.Equal(48, edited.ProtectionHours);
        Assert.True(edited.Version > trade.Listing.Version);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(150.00m, (await trade.Buyer.GetOrderAsync(before.Id)).Total.Amount);
        Assert.Equal(200.00m, (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Total.Amount);
    }

    [Theory]
    [InlineData("paymentWindowMinutes", 1)]
    [InlineData("maxQuantityPerOrder", 0)]
    [InlineData("protectionHours", 100000)]
    public async Task An_edit_out_of_range_is_a_400_naming_the_field(string field, int value)
    {
        var trade = await world.TradeAsync(items: 0);
        var response = await trade.Seller.Http.SendAsync(Patch(trade.Listing.Id, new Dictionary<string, object> { [field] = value }));
        var problem = await ListingWorld.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task An_edit_with_a_stale_If_Match_is_a_412_and_changes_nothing_and_the_current_one_succeeds()
    {
        var trade = await world.TradeAsync(items: 1);
        var read = await trade.Seller.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}");
        var etag = read.Headers.ETag!.Tag;
        (await trade.Seller.Http.SendAsync(Patch(trade.Listing.Id, new { title = "First edit" }, etag))).EnsureSuccessStatusCode();

        var stale = await trade.Seller.Http.SendAsync(Patch(trade.Listing.Id, new { title = "Second edit" }, etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("listing.changed", (await ListingWorld.JsonAsync(stale)).GetProperty("code").GetString());
        Assert.Equal("First edit", (await trade.Seller.GetListingAsync(trade.Listing.Id)).Title);

        var current = (await trade.Seller.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}")).Headers.ETag!.Tag;
        (await trade.Seller.Http.SendAsync(Patch(trade.Listing.Id, new { title = "Second edit" }, current))).EnsureSuccessStatusCode();
        Assert.Equal("Second edit", (await trade.Seller.GetListingAsync(trade.Listing.Id)).Title);
    }

    [Fact]
    public async Task Someone_else_cannot_edit_pause_or_see_the_items_of_a_listing()
    {
        var trade = await world.TradeAsync(items: 1);
        Assert.Equal(HttpStatusCode.NotFound, (await trade.Buyer.Http.SendAsync(Patch(trade.Listing.Id, new { title = "Mine now" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trade.Buyer.Http.PostAsync($"/api/v1/listings/{trade.Listing.Id}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trade.Buyer.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}/items")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trade.Buyer.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}/items/export")).StatusCode);
        Assert.Equal(ListingStatus.Active, (await trade.Seller.GetListingAsync(trade.Listing.Id)).Status);
    }

    [Fact]
    public async Task A_paused_listing_cannot_be_ordered_keeps_its_orders_and_a_wallet_reconnect_does_not_resume_it()
    {
        var trade = await world.TradeAsync(items: 3);
        var existing = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);

        (await trade.Seller.Http.PostAsync($"/api/v1/listings/{trade.Listing.Id}/pause", null)).EnsureSuccessStatusCode();
        var refused = await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("order.listing_paused", (await ListingWorld.JsonAsync(refused)).GetProperty("code").GetString());
        Assert.DoesNotContain(await CatalogIdsAsync(trade), id => id == trade.Listing.Id);

        // The order placed before the pause is paid and delivered as usual.
        await world.PayAsync(trade, existing);
        Assert.Single(await trade.Buyer.GetItemsAsync(existing.Id));

        // The wallet needs attention and is then reconnected: the seller's pause stays.
        await world.WithDbAsync(db => db.Wallets.Where(w => w.Id == trade.SellerWallet.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, WalletStatus.NeedsAttention)));
        await world.WithDbAsync(db => db.Wallets.Where(w => w.Id == trade.SellerWallet.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, WalletStatus.Active)));
        Assert.Equal(ListingStatus.Paused, (await trade.Seller.GetListingAsync(trade.Listing.Id)).Status);

        // Resumed by the seller while the wallet needs attention: still not orderable, for the wallet's reason.
        await world.WithDbAsync(db => db.Wallets.Where(w => w.Id == trade.SellerWallet.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, WalletStatus.NeedsAttention)));
        var resumed = await ApiClient.ReadAsync<ListingDto>(await trade.Seller.Http.PostAsync($"/api/v1/listings/{trade.Listing.Id}/resume", null), HttpStatusCode.OK);
        Assert.Equal(ListingStatus.Active, resumed.Status);
        Assert.True(resumed.Paused);
        Assert.Equal("order.wallet_unavailable", (await ListingWorld.JsonAsync(await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1))).GetProperty("code").GetString());

        await world.WithDbAsync(db => db.Wallets.Where(w => w.Id == trade.SellerWallet.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, WalletStatus.Active)));
        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        Assert.Contains(await CatalogIdsAsync(trade), id => id == trade.Listing.Id);
    }

    [Fact]
    public async Task Archiving_is_final_hides_the_listing_and_leaves_past_orders_readable()
    {
        var trade = await world.TradeAsync(items: 2);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);

        (await trade.Seller.Http.PostAsync($"/api/v1/listings/{trade.Listing.Id}/archive", null)).EnsureSuccessStatusCode();

        Assert.Equal("order.listing_archived", (await ListingWorld.JsonAsync(await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1))).GetProperty("code").GetString());
        var resume = await trade.Seller.Http.PostAsync($"/api/v1/listings/{trade.Listing.Id}/resume", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, resume.StatusCode);
        Assert.Equal("listing.archived", (await ListingWorld.JsonAsync(resume)).GetProperty("code").GetString());
        Assert.DoesNotContain(await CatalogIdsAsync(trade), id => id == trade.Listing.Id);
        var mine = await ListingWorld.JsonAsync(await trade.Seller.Http.GetAsync("/api/v1/listings/mine"));
        Assert.DoesNotContain(mine.GetProperty("items").EnumerateArray(), l => l.GetProperty("id").GetGuid() == trade.Listing.Id);
        var all = await ListingWorld.JsonAsync(await trade.Seller.Http.GetAsync("/api/v1/listings/mine?includeArchived=true"));
        Assert.Contains(all.GetProperty("items").EnumerateArray(), l => l.GetProperty("id").GetGuid() == trade.Listing.Id);

        // The buyer still reads the order and the listing it was placed on, and the order still completes.
        Assert.Equal(ListingStatus.Archived, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Status);
        await world.PayAsync(trade, order);
        Assert.Single(await trade.Buyer.GetItemsAsync(order.Id));
    }

    [Fact]
    public async Task The_item_ledger_shows_each_items_order_and_keyed_hash_never_the_key_and_the_export_has_the_keys()
    {
        var trade = await world.TradeAsync(items: 3);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);

        var response = await trade.Seller.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}/items");
        var body = await response.Content.ReadAsStringAsync();
        var page = await ListingWorld.JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        foreach (var key in trade.Items) Assert.DoesNotContain(key, body, StringComparison.Ordinal);
        var reserved = Assert.Single(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("status").GetString() == "Reserved");
        Assert.Equal(order.Id, reserved.GetProperty("orderId").GetGuid());
        Assert.Equal(64, reserved.GetProperty("fingerprint").GetString()!.Length);
        var available = await ListingWorld.JsonAsync(await trade.Seller.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}/items?status=Available"));
        Assert.Equal(2, available.GetProperty("totalCount").GetInt32());

        var export = await trade.Seller.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}/items/export");
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,status,order_id,created_at,sold_at,key", lines[0]);
        Assert.Equal(4, lines.Length);
        foreach (var key in trade.Items) Assert.Single(lines, l => l.EndsWith("," + key, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($",Reserved,{order.Id},", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_available_items_can_be_removed_and_the_counter_follows_the_rows()
    {
        var trade = await world.TradeAsync(items: 4);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var items = (await ListingWorld.JsonAsync(await trade.Seller.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}/items"))).GetProperty("items")
            .EnumerateArray().Select(i => (Id: i.GetProperty("id").GetGuid(), Status: i.GetProperty("status").GetString())).ToList();
        var reserved = items.Single(i => i.Status == "Reserved").Id;
        var free = items.Where(i => i.Status == "Available").Select(i => i.Id).ToList();

        var one = await trade.Seller.Http.DeleteAsync($"/api/v1/listings/{trade.Listing.Id}/items/{free[0]}");
        Assert.Equal(2, (await ListingWorld.JsonAsync(one)).GetProperty("stock").GetInt32());

        var mixed = await trade.Seller.Http.PostAsJsonAsync($"/api/v1/listings/{trade.Listing.Id}/items/remove", new { itemIds = new[] { free[1], reserved } });
        Assert.Equal(HttpStatusCode.Conflict, mixed.StatusCode);
        Assert.Equal("items.not_available", (await ListingWorld.JsonAsync(mixed)).GetProperty("code").GetString());
        Assert.Equal((2, 2), await world.StockAsync(trade.Listing.Id)); // all or nothing

        Assert.Equal(HttpStatusCode.NotFound, (await trade.Seller.Http.DeleteAsync($"/api/v1/listings/{trade.Listing.Id}/items/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trade.Buyer.Http.DeleteAsync($"/api/v1/listings/{trade.Listing.Id}/items/{free[1]}")).StatusCode);

        var rest = await trade.Seller.Http.PostAsJsonAsync($"/api/v1/listings/{trade.Listing.Id}/items/remove", new { itemIds = new[] { free[1], free[2] } });
        Assert.Equal(0, (await ListingWorld.JsonAsync(rest)).GetProperty("stock").GetInt32());
        Assert.Equal((0, 0), await world.StockAsync(trade.Listing.Id));
        Assert.Equal(order.Id, (await trade.Buyer.GetOrderAsync(order.Id)).Id);
    }

    [Fact]
    public async Task Removals_racing_orders_never_give_an_order_a_removed_item_nor_let_the_counter_drift()
    {
        const int items = 12;
        var trade = await world.TradeAsync(items: items);
        var ids = (await ListingWorld.JsonAsync(await trade.Seller.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}/items?pageSize=100")))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

        var removals = ids.Take(8).Select(id => trade.Seller.Http.DeleteAsync($"/api/v1/listings/{trade.Listing.Id}/items/{id}"));
        var orders = Enumerable.Range(0, 8).Select(_ => trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1));
        var removalResults = Task.WhenAll(removals);
        var orderResults = Task.WhenAll(orders);
        var removed = (await removalResults).Count(r => r.StatusCode == HttpStatusCode.OK);
        var placed = (await orderResults).Where(r => r.StatusCode == HttpStatusCode.Created).ToList();

        Assert.All(await removalResults, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.All(await orderResults, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var (counter, rows) = await world.StockAsync(trade.Listing.Id);
        Assert.Equal(rows, counter);
        Assert.Equal(items - removed - placed.Count, counter);
        await world.WithDbAsync(async db =>
        {
            var reservedRows = await db.ListingItems.CountAsync(i => i.ListingId == trade.Listing.Id && i.Status == ListingItemStatus.Reserved);
            Assert.Equal(placed.Count, reservedRows); // every placed order holds a real (not removed) row
        });
    }

    private static async Task<List<Guid>> CatalogIdsAsync(TradeSetup trade) =>
        (await ListingWorld.JsonAsync(await trade.Buyer.Http.GetAsync($"/api/v1/listings?sellerId={trade.Listing.SellerId}&pageSize=100")))
        .GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()).ToList();
}
