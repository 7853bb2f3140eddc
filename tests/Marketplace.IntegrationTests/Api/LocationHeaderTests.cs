using System.Net;
using System.Net.Http.Json;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// Every 201 names the created resource in Location, and that address answers 200 with the same
/// resource to its creator (and 404 to anyone else): clients follow Location instead of building URLs.
/// </summary>
public sealed class LocationHeaderTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Each_created_resource_is_found_at_its_location_by_its_creator_only()
    {
        var qiwi = _app.CreateEmulatorClient();
        var stranger = await _app.CreateApiClient().SignUpAsync();

        // Registration is anonymous; the account it creates is read with the new account's own token.
        var email = $"loc-{Guid.NewGuid():N}@example.com";
        var registered = await _app.CreateApiClient().Http.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "correct-horse-1" });
        var seller = await _app.CreateApiClient().LogInAsync(email, "correct-horse-1");
        await AssertLocationAsync(registered, seller, stranger);

        var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var token = await qiwi.IssueTokenAsync(phone, "ProfileRead", "HistoryRead");
        var wallet = await seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token });
        var walletId = await AssertLocationAsync(wallet, seller, stranger);

        var listing = await seller.Http.PostAsJsonAsync("/api/v1/listings", new
        {
            title = "Location test", category = "game-keys", price = new { amount = 10.00m, currency = "RUB" }, walletId,
        });
        var listingId = await AssertLocationAsync(listing, seller, anonymousAllowed: true);
        await seller.AddItemsAsync(listingId, "LOC-KEY-1");

        var buyer = await _app.CreateApiClient().SignUpAsync();
        var order = await buyer.PlaceOrderRawAsync(listingId, 1);
        await AssertLocationAsync(order, buyer, stranger);

        var apiKey = await seller.Http.PostAsJsonAsync("/api/v1/api-keys", new { name = "location", scopes = new[] { "orders:read" } });
        await AssertLocationAsync(apiKey, seller, stranger);

        var webhook = await seller.Http.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "order.delivered" } });
        Assert.Equal(HttpStatusCode.Created, webhook.StatusCode);
        var endpointId = (await webhook.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("endpoint").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await seller.Http.GetAsync(webhook.Headers.Location)).StatusCode);
        Assert.EndsWith(endpointId.ToString(), webhook.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync(webhook.Headers.Location)).StatusCode);
    }

    private static async Task<Guid> AssertLocationAsync(HttpResponseMessage created, ApiClient owner, ApiClient? stranger = null, bool anonymousAllowed = false)
    {
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location ?? throw new Xunit.Sdk.XunitException("201 without Location");
        var body = await created.Content.ReadFromJsonAsync<IdOnly>();

        var read = await owner.Http.GetAsync(location);
        Assert.True(read.StatusCode == HttpStatusCode.OK, $"GET {location} answered {(int)read.StatusCode}");
        Assert.Equal(body!.Id, (await read.Content.ReadFromJsonAsync<IdOnly>())!.Id);
        if (stranger is not null && !anonymousAllowed)
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync(location)).StatusCode);
        return body.Id;
    }

    private sealed record IdOnly(Guid Id);
}
