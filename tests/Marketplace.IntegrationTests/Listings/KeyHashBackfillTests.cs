using System.Net;
using System.Text;
using System.Text.Json;
using Marketplace.Infrastructure.BackgroundJobs;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Listings;

/// <summary>
/// Items stored before key hashes existed get theirs at start-up, so a key sold back then is refused as
/// previously sold, and a seller's older key as in another listing. A key the seller stored twice back then
/// keeps the hash on one row only.
/// </summary>
public sealed class KeyHashBackfillTests(ListingWorld world) : IClassFixture<ListingWorld>
{
    private static Dictionary<int, string> Rejections(JsonElement result) =>
        result.GetProperty("rejections").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(), r => r.GetProperty("reason").GetString()!);

    private async Task<JsonElement> ImportAsync(ApiClient client, Guid listingId, params string[] keys)
    {
        var response = await client.Http.PostAsync($"/api/v1/listings/{listingId}/items/import",
            new StringContent(string.Join("\n", keys), Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ListingWorld.JsonAsync(response);
    }

    private Task ForgetKeyHashesAsync() =>
        world.WithDbAsync(db => db.ListingItems.ExecuteUpdateAsync(s => s.SetProperty(i => i.KeyHash, (string?)null)));

    [Fact]
    public async Task Older_items_get_their_key_hash_and_the_duplicate_rules_see_them()
    {
        // Before the rule: a key sold by one seller, and a key another seller put in two listings.
        var first = await world.TradeAsync(items: 1);
        var sale = await first.Buyer.PlaceOrderAsync(first.Listing.Id);
        await world.PayAsync(first, sale);
        var soldKey = Assert.Single(await first.Buyer.GetItemsAsync(sale.Id));
        var second = await world.TradeAsync(items: 1);
        var twice = second.Items[0];
        var otherListing = await ListingWorld.ListingAsync(second, "Second listing");
        await ForgetKeyHashesAsync();
        Assert.Equal(1, (await second.Seller.AddItemsAsync(otherListing.Id, twice)).GetProperty("added").GetInt32());
        await ForgetKeyHashesAsync();

        var backfill = world.App.Services.GetRequiredService<KeyHashBackfill>();
        var pass = await backfill.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, pass.Left); // one of the seller's two rows of the same key

        bool soldHashed = false;
        var twiceHashed = new List<bool>();
        await world.WithDbAsync(async db =>
        {
            soldHashed = await db.ListingItems.AnyAsync(i => i.ListingId == first.Listing.Id && i.KeyHash != null);
            twiceHashed = await db.ListingItems.Where(i => i.ListingId == second.Listing.Id || i.ListingId == otherListing.Id)
                .Select(i => i.KeyHash != null).ToListAsync();
        });
        Assert.True(soldHashed);
        Assert.Equal([false, true], twiceHashed.Order());

        // The rules that read key hashes now see the older rows.
        var third = await world.TradeAsync(items: 1);
        var refused = await ImportAsync(third.Seller, third.Listing.Id, soldKey);
        Assert.Equal(new Dictionary<int, string> { [1] = "previously_sold" }, Rejections(refused));
        var thirdListing = await ListingWorld.ListingAsync(second, "Third listing");
        var again = await ImportAsync(second.Seller, thirdListing.Id, twice);
        Assert.Equal(new Dictionary<int, string> { [1] = "in_other_listing" }, Rejections(again));

        // A second run changes nothing: the one duplicate row stays as it is.
        Assert.Equal(new KeyHashBackfillPass(0, 1), await backfill.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Two_instances_running_it_together_store_each_hash_once()
    {
        var trade = await world.TradeAsync(items: 40);
        await ForgetKeyHashesAsync();
        await using var other = world.App.StartAnotherInstance();
        var passes = await Task.WhenAll(
            world.App.Services.GetRequiredService<KeyHashBackfill>().RunOnceAsync(CancellationToken.None),
            other.Services.GetRequiredService<KeyHashBackfill>().RunOnceAsync(CancellationToken.None));

        Assert.All(passes, p => Assert.True(p.Left <= 1, $"{p.Left} left"));
        var hashes = new List<string?>();
        await world.WithDbAsync(async db => hashes = await db.ListingItems.Where(i => i.ListingId == trade.Listing.Id).Select(i => i.KeyHash).ToListAsync());
        Assert.Equal(40, hashes.Count);
        Assert.All(hashes, Assert.NotNull);
        Assert.Equal(40, hashes.Distinct().Count());
    }
}
