using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Application.Listings;
using Marketplace.Domain.Listings;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Listings;

/// <summary>The same seller tools on the embedded default's SQLite: the import's staging path, removal and the catalog's keyset queries.</summary>
public sealed class SqliteListingToolsTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "marketplace-listings-" + Guid.NewGuid().ToString("N")[..8]);
    private EmbeddedApp _app = null!;

    public ValueTask InitializeAsync()
    {
        _app = new EmbeddedApp(_folder, watcher: false);
        _app.UseKestrel(0);
        _app.StartServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(_folder);
    }

    [Fact]
    public async Task Older_items_get_their_key_hash_on_sqlite()
    {
        var trade = await TradeSetup.CreateAsync(_app.CreateApiClient, _app.CreateEmulatorClient(), items: 3);
        var second = await ListingWorld.ListingAsync(trade, "Second", "games", 99.50m);
        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().ListingItems
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.KeyHash, (string?)null));

        var pass = await _app.Services.GetRequiredService<Marketplace.Infrastructure.BackgroundJobs.KeyHashBackfill>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(3, pass.Hashed);
        Assert.Equal(0, pass.Left);
        var response = await trade.Seller.Http.PostAsync($"/api/v1/listings/{second.Id}/items/import", new StringContent(trade.Items[1], Encoding.UTF8, "text/plain"));
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("in_other_listing", result.GetProperty("rejections")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Import_removal_and_catalog_paging_work_on_sqlite()
    {
        var trade = await TradeSetup.CreateAsync(_app.CreateApiClient, _app.CreateEmulatorClient(), items: 2);
        var second = await ListingWorld.ListingAsync(trade, "Second", "games", 99.50m);
        var other = $"OTHER-{Guid.NewGuid():N}";
        await trade.Seller.AddItemsAsync(second.Id, other);
        var keys = Enumerable.Range(0, 500).Select(i => $"SQLITE-{Guid.NewGuid():N}-{i}").ToList();
        var body = string.Join("\n", keys.Append(keys[0]).Append(trade.Items[0]).Append(other));

        var response = await trade.Seller.Http.PostAsync($"/api/v1/listings/{trade.Listing.Id}/items/import", new StringContent(body, Encoding.UTF8, "text/plain"));
        var result = await ListingWorld.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(500, result.GetProperty("added").GetInt32());
        Assert.Equal(502, result.GetProperty("stock").GetInt32());
        Assert.Equal(new[] { (501, "duplicate_in_upload"), (502, "already_in_listing"), (503, "in_other_listing") },
            result.GetProperty("rejections").EnumerateArray().Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reason").GetString()!)).ToArray());

        var firstItem = (await ListingWorld.JsonAsync(await trade.Seller.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}/items?pageSize=1")))
            .GetProperty("items")[0].GetProperty("id").GetGuid();
        Assert.Equal(501, (await ListingWorld.JsonAsync(await trade.Seller.Http.DeleteAsync($"/api/v1/listings/{trade.Listing.Id}/items/{firstItem}")))
            .GetProperty("stock").GetInt32());
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            Assert.Equal(501, await db.ListingItems.CountAsync(i => i.ListingId == trade.Listing.Id && i.Status == ListingItemStatus.Available));
        }

        foreach (var sort in new[] { "newest", "price_asc", "price_desc", "rating" })
        {
            var seen = new List<Guid>();
            string? cursor = null;
            do
            {
                var page = await ListingWorld.JsonAsync(await trade.Buyer.Http.GetAsync(
                    $"/api/v1/listings?sellerId={trade.Listing.SellerId}&q=KEY&sort={sort}&minPrice=1&pageSize=1" + (cursor is null ? "" : $"&cursor={cursor}")));
                seen.AddRange(page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()));
                cursor = page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);

            Assert.Equal(new[] { trade.Listing.Id, second.Id }.Order(), seen.Order());
            if (sort == "price_asc") Assert.Equal([second.Id, trade.Listing.Id], seen);
        }

        var edited = await trade.Seller.Http.PatchAsJsonAsync($"/api/v1/listings/{second.Id}", new { price = new { amount = 10.00m, currency = "RUB" } });
        Assert.Equal(10.00m, (await ApiClient.ReadAsync<ListingDto>(edited, HttpStatusCode.OK)).Price.Amount);
        var cheap = await ListingWorld.JsonAsync(await trade.Buyer.Http.GetAsync($"/api/v1/listings?sellerId={trade.Listing.SellerId}&maxPrice=10"));
        Assert.Equal(second.Id, Assert.Single(cheap.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }
}
