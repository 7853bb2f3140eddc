using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Domain.Listings;
using Marketplace.Infrastructure.Security;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.IntegrationTests.Listings;

/// <summary>
/// Bulk import: every reason a key is refused, by line; CSV quoting; limits; a larger import on PostgreSQL
/// whose counter equals its rows; and one key never in two listings of a seller, nor sold twice on the marketplace.
/// </summary>
public sealed class ListingImportTests(ListingWorld world) : IClassFixture<ListingWorld>
{
    private static Task<HttpResponseMessage> ImportAsync(ApiClient client, Guid listingId, string body, string mediaType = "text/plain") =>
        client.Http.PostAsync($"/api/v1/listings/{listingId}/items/import", new StringContent(body, Encoding.UTF8, mediaType));

    private static Dictionary<int, string> Rejections(JsonElement result) =>
        result.GetProperty("rejections").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(), r => r.GetProperty("reason").GetString()!);

    [Fact]
    public async Task Duplicates_are_reported_by_line_and_reason_and_only_new_keys_are_stored()
    {
        // A key sold by another seller: the first trade's buyer pays and receives it.
        var other = await world.TradeAsync(items: 1);
        var sale = await other.Buyer.PlaceOrderAsync(other.Listing.Id);
        await world.PayAsync(other, sale);
        var soldKey = Assert.Single(await other.Buyer.GetItemsAsync(sale.Id));

        var trade = await world.TradeAsync(items: 1);
        var inThisListing = trade.Items[0];
        var second = await ListingWorld.ListingAsync(trade, "Second listing");
        var inOtherListing = $"OTHER-{Guid.NewGuid():N}";
        await trade.Seller.AddItemsAsync(second.Id, inOtherListing);
        var fresh = $"NEW-{Guid.NewGuid():N}";
        var fresh2 = $"NEW-{Guid.NewGuid():N}";

        var body = string.Join("\n", fresh, "", $"  {fresh}  ", inThisListing, inOtherListing, soldKey, $"\t{fresh2}", new string('x', 5000), "   ");
        var response = await ImportAsync(trade.Seller, trade.Listing.Id, body);
        var result = await ListingWorld.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, result.GetProperty("received").GetInt32());
        Assert.Equal(2, result.GetProperty("added").GetInt32());
        Assert.Equal(3, result.GetProperty("stock").GetInt32());
        Assert.Equal(new Dictionary<int, string>
        {
            [3] = "duplicate_in_upload", [4] = "already_in_listing", [5] = "in_other_listing", [6] = "previously_sold", [8] = "too_long",
        }, Rejections(result));
        Assert.Equal(1, result.GetProperty("rejectedByReason").GetProperty("previously_sold").GetInt32());
        Assert.Equal((3, 3), await world.StockAsync(trade.Listing.Id));

        // The JSON endpoint follows the same rules.
        var json = await trade.Seller.AddItemsAsync(second.Id, fresh, soldKey, $"J-{Guid.NewGuid():N}");
        Assert.Equal(1, json.GetProperty("added").GetInt32());
        Assert.Equal(2, json.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task A_csv_takes_the_key_column_with_rfc4180_quoting()
    {
        var trade = await world.TradeAsync(items: 0);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var csv = $"note,key\r\nplain,A-{suffix}\r\n\"with, comma\",\"B,{suffix}\"\r\nquoted,\"C \"\"{suffix}\"\"\"\r\nmulti,\"D-{suffix}\nsecond line\"\r\nlast,E-{suffix}";

        var result = await ListingWorld.JsonAsync(await ImportAsync(trade.Seller, trade.Listing.Id, csv, "text/csv"));
        Assert.Equal(5, result.GetProperty("added").GetInt32());

        var export = await (await trade.Seller.Http.GetAsync($"/api/v1/listings/{trade.Listing.Id}/items/export")).Content.ReadAsStringAsync();
        Assert.Contains($",A-{suffix}\r\n", export, StringComparison.Ordinal);
        Assert.Contains($",\"B,{suffix}\"\r\n", export, StringComparison.Ordinal);
        Assert.Contains($",\"C \"\"{suffix}\"\"\"\r\n", export, StringComparison.Ordinal);
        Assert.Contains($",\"D-{suffix}\nsecond line\"\r\n", export, StringComparison.Ordinal);

        // Without a 'key' header the first column is the key, and the first row is data.
        var headerless = await ListingWorld.JsonAsync(await ImportAsync(trade.Seller, trade.Listing.Id, $"F-{suffix},ignored\nG-{suffix}", "text/csv"));
        Assert.Equal(2, headerless.GetProperty("added").GetInt32());
        // Line numbers count the lines of the file: the quoted field spans lines 2-3, so the repeat is on line 5.
        var lines = await ListingWorld.JsonAsync(await ImportAsync(trade.Seller, trade.Listing.Id, $"key\n\"H-{suffix}\nx\"\nH2-{suffix}\nA-{suffix}", "text/csv"));
        Assert.Equal(5, Assert.Single(lines.GetProperty("rejections").EnumerateArray()).GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Strangers_buyers_and_bad_uploads_are_refused_and_nothing_is_stored()
    {
        var trade = await world.TradeAsync(items: 0);
        Assert.Equal(HttpStatusCode.NotFound, (await ImportAsync(trade.Buyer, trade.Listing.Id, "K1")).StatusCode);
        var stranger = await world.App.CreateApiClient().SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await ImportAsync(stranger, trade.Listing.Id, "K1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.App.CreateClient().PostAsync($"/api/v1/listings/{trade.Listing.Id}/items/import",
            new StringContent("K1", Encoding.UTF8, "text/plain"))).StatusCode);

        var wrongType = await trade.Seller.Http.PostAsJsonAsync($"/api/v1/listings/{trade.Listing.Id}/items/import", new { items = new[] { "K1" } });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Equal("application/problem+json", wrongType.Content.Headers.ContentType?.MediaType);

        var empty = await ImportAsync(trade.Seller, trade.Listing.Id, "\n  \n");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await ListingWorld.JsonAsync(empty)).GetProperty("errors").TryGetProperty("body", out _));

        var tooMany = string.Join("\n", Enumerable.Range(0, 100_001).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var many = await ImportAsync(trade.Seller, trade.Listing.Id, tooMany);
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.True((await ListingWorld.JsonAsync(many)).GetProperty("errors").TryGetProperty("body", out _));

        var huge = await ImportAsync(trade.Seller, trade.Listing.Id, new string('k', 9 * 1024 * 1024));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("application/problem+json", huge.Content.Headers.ContentType?.MediaType);

        Assert.Equal((0, 0), await world.StockAsync(trade.Listing.Id));
    }

    [Fact]
    public async Task Five_thousand_keys_are_imported_at_once_and_the_counter_equals_the_rows()
    {
        var trade = await world.TradeAsync(items: 0);
        var keys = Enumerable.Range(0, 5_000).Select(i => $"BULK-{Guid.NewGuid():N}-{i}").ToList();

        var result = await ListingWorld.JsonAsync(await ImportAsync(trade.Seller, trade.Listing.Id, string.Join("\r\n", keys)));

        Assert.Equal(5_000, result.GetProperty("added").GetInt32());
        Assert.Equal(0, result.GetProperty("rejected").GetInt32());
        Assert.Equal((5_000, 5_000), await world.StockAsync(trade.Listing.Id));
        var again = await ListingWorld.JsonAsync(await ImportAsync(trade.Seller, trade.Listing.Id, string.Join("\n", keys.Take(10).Append($"X-{Guid.NewGuid():N}"))));
        Assert.Equal(1, again.GetProperty("added").GetInt32());
        Assert.Equal(10, again.GetProperty("rejectedByReason").GetProperty("already_in_listing").GetInt32());
        Assert.Equal((5_001, 5_001), await world.StockAsync(trade.Listing.Id));
    }

    [Fact]
    public async Task Keys_stored_before_the_bulk_hashing_are_still_found_by_an_import()
    {
        var trade = await world.TradeAsync(items: 0);
        var other = await ListingWorld.ListingAsync(trade, "Older stock");
        var (inListing, inOther, fresh) = ($"OLD-{Guid.NewGuid():N}-ключ", $"OLD-{Guid.NewGuid():N}", $"NEW-{Guid.NewGuid():N}");
        // Rows as earlier releases stored them, with hashes computed here the way they were: the HMAC key derived (HKDF) for
        // each value, HMAC-SHA256 of the UTF-8 text. The import must compute exactly these values to find them.
        var protector = world.App.Services.GetRequiredService<AesGcmSecretProtector>();
        var root = Convert.FromBase64String(world.App.Services.GetRequiredService<IOptions<SecretsOptions>>().Value.Keys[protector.FingerprintKeyId]);
        string Hash(string purpose, string value) => Convert.ToHexStringLower(HMACSHA256.HashData(
            HKDF.DeriveKey(HashAlgorithmName.SHA256, root, 32, info: Encoding.UTF8.GetBytes("fingerprint:" + purpose)), Encoding.UTF8.GetBytes(value)));
        ListingItem Row(Guid listingId, string key) => new(Guid.NewGuid(), listingId, trade.Listing.SellerId, protector.Protect(key),
            Hash("listing-item", $"{listingId:N}:{key}"), Hash("listing-item-key", key), DateTimeOffset.UtcNow);
        await world.WithDbAsync(async db =>
        {
            db.ListingItems.AddRange(Row(trade.Listing.Id, inListing), Row(other.Id, inOther));
            await db.SaveChangesAsync();
        });

        var result = await ListingWorld.JsonAsync(await ImportAsync(trade.Seller, trade.Listing.Id, string.Join("\n", inListing, inOther, fresh)));

        Assert.Equal(1, result.GetProperty("added").GetInt32());
        Assert.Equal(new Dictionary<int, string> { [1] = "already_in_listing", [2] = "in_other_listing" }, Rejections(result));
    }

    [Fact]
    public async Task Repeats_across_the_chunks_of_a_large_upload_are_reported_by_line()
    {
        var trade = await world.TradeAsync(items: 1);
        var held = trade.Items[0];
        var keys = Enumerable.Range(1, 20_010).Select(i => $"CHUNK-{Guid.NewGuid():N}-{i}").ToList();
        keys[20_004] = keys[0]; // line 20,005 repeats line 1, which went in with the first chunk
        keys[20_007] = held;    // line 20,008 is already in the listing

        var result = await ListingWorld.JsonAsync(await ImportAsync(trade.Seller, trade.Listing.Id, string.Join("\n", keys)));

        Assert.Equal(20_010, result.GetProperty("received").GetInt32());
        Assert.Equal(20_008, result.GetProperty("added").GetInt32());
        Assert.Equal(new Dictionary<int, string> { [20_005] = "duplicate_in_upload", [20_008] = "already_in_listing" }, Rejections(result));
        Assert.Equal((20_009, 20_009), await world.StockAsync(trade.Listing.Id));
    }

    [Fact]
    public async Task The_database_refuses_one_key_in_two_listings_of_a_seller_whatever_the_code_checks()
    {
        var trade = await world.TradeAsync(items: 1);
        var second = await ListingWorld.ListingAsync(trade, "Second");
        await world.WithDbAsync(async db =>
        {
            var first = await db.ListingItems.SingleAsync(i => i.ListingId == trade.Listing.Id);
            db.ListingItems.Add(new ListingItem(Guid.NewGuid(), second.Id, trade.Listing.SellerId, first.EncryptedPayload, "another-fingerprint",
                first.KeyHash!, DateTimeOffset.UtcNow));
            var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(db.IsUniqueViolation(error));
        });
    }
}
