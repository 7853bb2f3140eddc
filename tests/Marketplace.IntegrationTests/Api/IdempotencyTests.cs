using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// Idempotency-Key on the POSTs that change money-related state: a retry answers with the first
/// response, a different request with the same key is refused, and parallel retries place one order.
/// </summary>
public sealed class IdempotencyTests(IdempotencyTests.SharedApp shared) : IClassFixture<IdempotencyTests.SharedApp>
{
    private MarketplaceApp App => shared.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class SharedApp(PostgresServer postgres) : IAsyncLifetime
    {
        public MarketplaceApp App { get; private set; } = null!;

        public async ValueTask InitializeAsync() => App = await MarketplaceApp.StartOnPostgresAsync(postgres);

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    [Fact]
    public async Task A_retry_with_the_same_key_replays_the_first_order()
    {
        var trade = await TradeSetup.CreateAsync(App, items: 5);
        var key = NewKey();

        var first = await PlaceAsync(trade.Buyer, trade.Listing.Id, key);
        var retry = await PlaceAsync(trade.Buyer, trade.Listing.Id, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/json", retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await OrdersOnAsync(trade.Listing.Id));
        Assert.Equal(4, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task The_same_key_with_another_request_is_refused_with_422()
    {
        var trade = await TradeSetup.CreateAsync(App, items: 5);
        var key = NewKey();
        Assert.Equal(HttpStatusCode.Created, (await PlaceAsync(trade.Buyer, trade.Listing.Id, key)).StatusCode);

        var otherBody = await PlaceAsync(trade.Buyer, trade.Listing.Id, key, quantity: 2);
        await AssertProblemAsync(otherBody, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        // The same key on another endpoint is another request too.
        var order = (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Id;
        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{order}/cancel");
        cancel.Headers.Add("Idempotency-Key", key);
        await AssertProblemAsync(await trade.Buyer.Http.SendAsync(cancel, Ct), HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(2, await OrdersOnAsync(trade.Listing.Id));
    }

    [Fact]
    public async Task Parallel_requests_with_one_key_place_one_order()
    {
        var trade = await TradeSetup.CreateAsync(App, items: 10);
        var key = NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PlaceAsync(trade.Buyer, trade.Listing.Id, key)));

        var originals = responses.Where(r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed")).ToList();
        var original = Assert.Single(originals);
        var orderId = (await original.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        foreach (var response in responses.Except(originals))
        {
            if (response.StatusCode == HttpStatusCode.Created)
                Assert.Equal(orderId, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
            else
                await AssertProblemAsync(response, HttpStatusCode.Conflict, "idempotency_request_in_progress");
        }

        Assert.Equal(1, await OrdersOnAsync(trade.Listing.Id));
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var reserved = await db.ListingItems.Where(i => i.ListingId == trade.Listing.Id && i.Status == ListingItemStatus.Reserved).ToListAsync(Ct);
        Assert.Equal(orderId, Assert.Single(reserved).OrderId);
        Assert.Equal(9, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);

        // After the race, a retry replays the one order.
        var late = await PlaceAsync(trade.Buyer, trade.Listing.Id, key);
        Assert.Equal(orderId, (await late.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Keys_belong_to_their_account()
    {
        var trade = await TradeSetup.CreateAsync(App, items: 5);
        var otherBuyer = await App.CreateApiClient().SignUpAsync();
        var key = NewKey();

        var mine = await PlaceAsync(trade.Buyer, trade.Listing.Id, key);
        var theirs = await PlaceAsync(otherBuyer, trade.Listing.Id, key);

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(
            (await mine.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid(),
            (await theirs.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
        Assert.Equal(2, await OrdersOnAsync(trade.Listing.Id));
    }

    [Fact]
    public async Task A_key_is_forgotten_after_24_hours()
    {
        var trade = await TradeSetup.CreateAsync(App, items: 5);
        var key = NewKey();
        Assert.Equal(HttpStatusCode.Created, (await PlaceAsync(trade.Buyer, trade.Listing.Id, key)).StatusCode);

        App.FakeClock.Advance(TimeSpan.FromHours(23));
        await AssertProblemAsync(await PlaceAsync(trade.Buyer, trade.Listing.Id, key, quantity: 2), HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        App.FakeClock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await trade.Buyer.LogInAsync(trade.Buyer.Credentials!.Value.Email, trade.Buyer.Credentials.Value.Password); // the old token lapsed too
        var again = await PlaceAsync(trade.Buyer, trade.Listing.Id, key, quantity: 2);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await OrdersOnAsync(trade.Listing.Id));
    }

    [Fact]
    public async Task Item_uploads_and_cancellations_replay_too()
    {
        var trade = await TradeSetup.CreateAsync(App, items: 2);
        var key = NewKey();
        var items = new[] { $"KEY-{Guid.NewGuid():N}", $"KEY-{Guid.NewGuid():N}" };

        var first = await SendAsync(trade.Seller, $"/api/v1/listings/{trade.Listing.Id}/items", key, new { items });
        var retry = await SendAsync(trade.Seller, $"/api/v1/listings/{trade.Listing.Id}/items", key, new { items });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        // Without the key, the same upload runs again and reports the items as duplicates.
        Assert.NotEqual(await first.Content.ReadAsStringAsync(Ct), await (await trade.Seller.Http.PostAsJsonAsync(
            $"/api/v1/listings/{trade.Listing.Id}/items", new { items }, Ct)).Content.ReadAsStringAsync(Ct));

        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var cancelKey = NewKey();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(trade.Buyer, $"/api/v1/orders/{order.Id}/cancel", cancelKey, null)).StatusCode);
        var cancelRetry = await SendAsync(trade.Buyer, $"/api/v1/orders/{order.Id}/cancel", cancelKey, null);
        Assert.Equal(HttpStatusCode.OK, cancelRetry.StatusCode); // not 409 order.not_cancellable: the first answer again
        Assert.True(cancelRetry.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_refusal_raised_by_the_use_case_releases_the_key_so_a_retry_runs_again()
    {
        var trade = await TradeSetup.CreateAsync(App, items: 2);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var key = NewKey();

        var first = await SendAsync(trade.Buyer, $"/api/v1/orders/{order.Id}/confirm", key, null); // not delivered: 409
        var retry = await SendAsync(trade.Buyer, $"/api/v1/orders/{order.Id}/confirm", key, null);

        Assert.Equal(HttpStatusCode.Conflict, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        await using var scope = App.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().IdempotencyRecords.AnyAsync(r => r.Key == key, Ct));
    }

    [Fact]
    public async Task The_stored_response_is_encrypted()
    {
        var trade = await TradeSetup.CreateAsync(App, items: 2);
        var key = NewKey();
        var order = await (await PlaceAsync(trade.Buyer, trade.Listing.Id, key)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        await using var scope = App.Services.CreateAsyncScope();
        var record = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().IdempotencyRecords.AsNoTracking()
            .SingleAsync(r => r.Key == key, Ct);
        Assert.Equal(201, record.ResponseStatus);
        Assert.Equal("/api/v1/orders", record.Route);
        Assert.DoesNotContain(order.GetProperty("id").GetGuid().ToString(), record.ResponseBody!, StringComparison.Ordinal);
        Assert.DoesNotContain(order.GetProperty("payment").GetProperty("comment").GetString()!, record.ResponseBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_sqlite_an_api_key_and_parallel_retries_place_one_order()
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-idem-" + Guid.NewGuid().ToString("N")[..8]);
        var app = new EmbeddedApp(folder, watcher: false);
        try
        {
            app.UseKestrel(0);
            app.StartServer();
            var qiwi = app.CreateEmulatorClient();
            var trade = await TradeSetup.CreateAsync(app.CreateApiClient, qiwi, items: 10);
            var created = await trade.Buyer.Http.PostAsJsonAsync("/api/v1/api-keys", new { name = "shop", scopes = new[] { "orders:write" } }, Ct);
            var apiKey = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
            var viaKey = new ApiClient(app.CreateClient());
            viaKey.Http.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
            var key = NewKey();

            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PlaceAsync(viaKey, trade.Listing.Id, key)));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed"));
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
            var orders = await trade.Buyer.Http.GetFromJsonAsync<JsonElement>("/api/v1/orders?role=buyer", Ct);
            Assert.Equal(1, orders.GetProperty("items").GetArrayLength());
            Assert.Equal(9, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempFolder.Delete(folder);
        }
    }

    [Theory]
    [InlineData("tab\there")]
    [InlineData("too-long")]
    [InlineData("caf\u00e9")]
    [InlineData("two")]
    public async Task A_malformed_key_is_400_naming_the_header(string kind)
    {
        var trade = await TradeSetup.CreateAsync(App, items: 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { listingId = trade.Listing.Id, quantity = 1 }) };
        switch (kind)
        {
            case "too-long": request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 256)); break;
            case "two": request.Headers.TryAddWithoutValidation("Idempotency-Key", ["one", "two"]); break;
            default: request.Headers.TryAddWithoutValidation("Idempotency-Key", kind); break;
        }

        var response = await trade.Buyer.Http.SendAsync(request, Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), body);
        Assert.Equal(0, await OrdersOnAsync(trade.Listing.Id));
    }

    private static string NewKey() => $"retry-{Guid.NewGuid():N}";

    private static Task<HttpResponseMessage> PlaceAsync(ApiClient buyer, Guid listingId, string key, int quantity = 1) =>
        SendAsync(buyer, "/api/v1/orders", key, new { listingId, quantity });

    private static async Task<HttpResponseMessage> SendAsync(ApiClient client, string path, string key, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Idempotency-Key", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await client.Http.SendAsync(request, Ct);
    }

    private async Task<int> OrdersOnAsync(Guid listingId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Orders.CountAsync(o => o.ListingId == listingId, Ct);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }
}
