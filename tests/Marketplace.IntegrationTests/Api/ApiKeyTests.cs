using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Api.Hosting;
using Marketplace.Domain.Accounts;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// API keys through HTTP: shown once, stored hashed, a bearer credential limited to its scopes,
/// revoked or expired at once, private to their account; and the scope each endpoint needs.
/// </summary>
public sealed class ApiKeyTests(ApiKeyTests.SharedApp shared) : IClassFixture<ApiKeyTests.SharedApp>
{
    private MarketplaceApp App => shared.App;
    private TradeSetup Trade => shared.Trade;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class SharedApp(PostgresServer postgres) : IAsyncLifetime
    {
        public MarketplaceApp App { get; private set; } = null!;
        public TradeSetup Trade { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            App = await MarketplaceApp.StartOnPostgresAsync(postgres);
            Trade = await TradeSetup.CreateAsync(App, items: 50);
        }

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    /// <summary>The scope an API key needs for each endpoint that requires authorization; null: login token only.</summary>
    public static readonly IReadOnlyDictionary<string, string?> ScopeTable = new Dictionary<string, string?>
    {
        ["POST /api/v1/auth/logout"] = null,
        ["POST /api/v1/auth/password"] = null,
        ["POST /api/v1/api-keys"] = null,
        ["GET /api/v1/api-keys"] = null,
        ["GET /api/v1/api-keys/{id}"] = null,
        ["DELETE /api/v1/api-keys/{id}"] = null,
        ["POST /api/v1/moderators"] = null,
        ["POST /api/v1/wallets"] = ApiScopes.WalletsWrite,
        ["GET /api/v1/wallets"] = ApiScopes.WalletsRead,
        ["GET /api/v1/wallets/{id}"] = ApiScopes.WalletsRead,
        ["GET /api/v1/accounts/{id}"] = null,
        ["PATCH /api/v1/accounts/{id}"] = null,
        ["GET /api/v1/listings/mine"] = ApiScopes.ListingsRead,
        ["PATCH /api/v1/listings/{id}"] = ApiScopes.ListingsWrite,
        ["POST /api/v1/listings/{id}/pause"] = ApiScopes.ListingsWrite,
        ["POST /api/v1/listings/{id}/resume"] = ApiScopes.ListingsWrite,
        ["POST /api/v1/listings/{id}/archive"] = ApiScopes.ListingsWrite,
        ["POST /api/v1/listings/{id}/items/import"] = ApiScopes.ListingsWrite,
        ["GET /api/v1/listings/{id}/items"] = ApiScopes.ListingsRead,
        // Every key in plaintext: only with the seller's login, never with a key that might leak from automation.
        ["GET /api/v1/listings/{id}/items/export"] = null,
        ["DELETE /api/v1/listings/{id}/items/{itemId}"] = ApiScopes.ListingsWrite,
        ["POST /api/v1/listings/{id}/items/remove"] = ApiScopes.ListingsWrite,
        ["POST /api/v1/webhooks"] = ApiScopes.WebhooksWrite,
        ["GET /api/v1/webhooks"] = ApiScopes.WebhooksRead,
        ["GET /api/v1/webhooks/{id:guid}"] = ApiScopes.WebhooksRead,
        ["PATCH /api/v1/webhooks/{id:guid}"] = ApiScopes.WebhooksWrite,
        ["DELETE /api/v1/webhooks/{id:guid}"] = ApiScopes.WebhooksWrite,
        ["POST /api/v1/webhooks/{id:guid}/rotate-secret"] = ApiScopes.WebhooksWrite,
        ["POST /api/v1/webhooks/{id:guid}/test"] = ApiScopes.WebhooksWrite,
        ["GET /api/v1/webhooks/{id:guid}/deliveries"] = ApiScopes.WebhooksRead,
        ["POST /api/v1/webhooks/{id:guid}/deliveries/{deliveryId:guid}/redeliver"] = ApiScopes.WebhooksWrite,
        ["GET /api/v1/wallets/{id}/transfers"] = ApiScopes.WalletsRead,
        ["POST /api/v1/wallets/{id}/transfers/{transferId}/attach"] = ApiScopes.WalletsWrite,
        ["POST /api/v1/wallets/{id}/transfers/{transferId}/resolve"] = ApiScopes.WalletsWrite,
        ["POST /api/v1/listings"] = ApiScopes.ListingsWrite,
        ["POST /api/v1/listings/{id}/items"] = ApiScopes.ListingsWrite,
        ["POST /api/v1/orders"] = ApiScopes.OrdersWrite,
        ["GET /api/v1/orders"] = ApiScopes.OrdersRead,
        ["GET /api/v1/orders/{id}"] = ApiScopes.OrdersRead,
        ["GET /api/v1/orders/{id}/items"] = ApiScopes.OrdersRead,
        ["POST /api/v1/orders/{id}/confirm"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/{id}/rating"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/{id}/cancel"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/{id}/payment-claims"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/{id}/disputes"] = ApiScopes.DisputesWrite,
        ["GET /api/v1/disputes"] = ApiScopes.DisputesRead,
        ["GET /api/v1/disputes/{id}"] = ApiScopes.DisputesRead,
        ["GET /api/v1/disputes/{id}/evidence"] = ApiScopes.DisputesRead,
        ["POST /api/v1/disputes/{id}/messages"] = ApiScopes.DisputesWrite,
        ["POST /api/v1/disputes/{id}/replace"] = ApiScopes.DisputesWrite,
        ["POST /api/v1/disputes/{id}/refunds"] = ApiScopes.DisputesWrite,
        ["POST /api/v1/disputes/{id}/refunds/send"] = ApiScopes.DisputesWrite,
        ["POST /api/v1/disputes/{id}/contest"] = ApiScopes.DisputesWrite,
        ["POST /api/v1/disputes/{id}/withdraw"] = ApiScopes.DisputesWrite,
        ["POST /api/v1/disputes/{id}/decision"] = ApiScopes.DisputesWrite,
    };

    // ---- the key's life ---------------------------------------------------------------------

    [Fact]
    public async Task Create_shows_the_key_once_and_neither_list_nor_get_shows_it_again()
    {
        var owner = await App.CreateApiClient().SignUpAsync();
        var response = await owner.Http.PostAsJsonAsync("/api/v1/api-keys", new { name = "storefront", scopes = new[] { "orders:read" } }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/api-keys/{id}", response.Headers.Location?.OriginalString);
        Assert.StartsWith("mkp_test_", key, StringComparison.Ordinal);
        Assert.Equal('_', key[^44]); // id, then 256 random bits: 43 base64url characters
        Assert.EndsWith(key[^4..], created.GetProperty("hint").GetString(), StringComparison.Ordinal);

        var list = await owner.Http.GetStringAsync("/api/v1/api-keys", Ct);
        var one = await owner.Http.GetStringAsync($"/api/v1/api-keys/{id}", Ct);
        Assert.Contains(id.ToString(), list, StringComparison.Ordinal);
        Assert.DoesNotContain(key[^40..], list, StringComparison.Ordinal);
        Assert.DoesNotContain(key[^40..], one, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", list, StringComparison.Ordinal);
        Assert.Equal("storefront", JsonDocument.Parse(one).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_key_acts_as_its_account_within_its_scopes_by_bearer_or_x_api_key()
    {
        var key = await CreateKeyAsync(Trade.Buyer, ApiScopes.OrdersRead, ApiScopes.OrdersWrite);

        var placed = await SendAsync(HttpMethod.Post, "/api/v1/orders", key, new { listingId = Trade.Listing.Id, quantity = 1 });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        // The same order, seen as the buyer's through the login token and through X-Api-Key.
        Assert.Equal(orderId, (await Trade.Buyer.GetOrderAsync(orderId)).Id);
        using var viaHeader = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/orders/{orderId}");
        viaHeader.Headers.Add(ApiKeyAuthentication.HeaderName, key);
        var read = await App.CreateClient().SendAsync(viaHeader, Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("buyer", (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_key_without_the_scope_gets_403_naming_it_and_account_endpoints_take_no_key()
    {
        var key = await CreateKeyAsync(Trade.Seller, ApiScopes.OrdersRead);

        var listing = await SendAsync(HttpMethod.Post, "/api/v1/listings", key, new
        {
            title = "Game key", category = "games", price = new { amount = 10m, currency = "RUB" }, walletId = Trade.SellerWallet.Id,
        });
        await AssertProblemAsync(listing, HttpStatusCode.Forbidden, "api_key.scope_missing");
        Assert.Equal("listings:write", (await listing.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("requiredScope").GetString());

        var password = await SendAsync(HttpMethod.Post, "/api/v1/auth/password", key, new { currentPassword = "correct-horse-1", newPassword = "another-horse-2" });
        await AssertProblemAsync(password, HttpStatusCode.Forbidden, "api_key.login_required");
        var newKey = await SendAsync(HttpMethod.Post, "/api/v1/api-keys", key, new { name = "more", scopes = new[] { "orders:read" } });
        await AssertProblemAsync(newKey, HttpStatusCode.Forbidden, "api_key.login_required");
        await AssertProblemAsync(await SendAsync(HttpMethod.Get, "/api/v1/api-keys", key), HttpStatusCode.Forbidden, "api_key.login_required");
        await AssertProblemAsync(await SendAsync(HttpMethod.Post, "/api/v1/auth/logout", key), HttpStatusCode.Forbidden, "api_key.login_required");

        // What the scope allows still works; the password is unchanged.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/v1/orders", key)).StatusCode);
        await App.CreateApiClient().LogInAsync(Trade.Seller.Credentials!.Value.Email, Trade.Seller.Credentials.Value.Password);
    }

    [Fact]
    public async Task Every_endpoint_that_requires_authorization_declares_its_scope_and_refuses_a_key_without_it()
    {
        var endpoints = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(m => (Name: $"{m} /{(e.RoutePattern.RawText ?? "").Trim('/')}", Method: m, Endpoint: e)))
            .Where(e => e.Name.Contains(" /api/v1/", StringComparison.Ordinal))
            .ToList();

        var declared = endpoints.ToDictionary(e => e.Name, e => e.Endpoint.Metadata.GetMetadata<ApiScopeMetadata>()?.Scope);
        var undeclared = declared.Keys.Except(ScopeTable.Keys).Order().ToList();
        Assert.True(undeclared.Count == 0, "Add these endpoints to ApiKeyTests.ScopeTable (and docs/api.md): " + string.Join(", ", undeclared));
        var wrong = ScopeTable.Where(r => !declared.TryGetValue(r.Key, out var scope) || scope != r.Value)
            .Select(r => $"{r.Key}: table {r.Value ?? "login only"}, endpoint {(declared.TryGetValue(r.Key, out var s) ? s ?? "login only" : "missing")}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        // Over HTTP: a key holding every scope but the one needed is refused before anything runs.
        var keys = new Dictionary<string, string>();
        var failures = new List<string>();
        foreach (var (name, method, endpoint) in endpoints)
        {
            var needed = declared[name];
            var excluded = needed ?? "";
            if (!keys.TryGetValue(excluded, out var key))
                keys[excluded] = key = await CreateKeyAsync(Trade.Seller, ApiScopes.All.Where(s => s != needed).ToArray());
            var path = "/" + System.Text.RegularExpressions.Regex.Replace((endpoint.RoutePattern.RawText ?? "").Trim('/'), "\\{[^}]+\\}", Guid.NewGuid().ToString());
            // An endpoint that takes something else than JSON (the key file import) gets its own kind of body.
            var accepts = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes;
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            if (method is "POST")
                request.Content = accepts is { Count: > 0 } && !accepts.Contains("application/json")
                    ? new StringContent("KEY-1\n", System.Text.Encoding.UTF8, accepts[0])
                    : JsonContent.Create(new { });
            var response = await App.CreateClient().SendAsync(request, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode != HttpStatusCode.Forbidden
                || (needed is not null && !body.Contains($"\"requiredScope\":\"{needed}\"", StringComparison.Ordinal)))
                failures.Add($"{name}: {(int)response.StatusCode} {body}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_the_next_request()
    {
        var key = await CreateKeyAsync(Trade.Buyer, ApiScopes.OrdersRead);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/v1/orders", key)).StatusCode);

        var revoke = await Trade.Buyer.Http.DeleteAsync($"/api/v1/api-keys/{KeyId(key)}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var refused = await SendAsync(HttpMethod.Get, "/api/v1/orders", key);
        await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "api_key.invalid");
        Assert.Contains("revoked", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var shown = await Trade.Buyer.Http.GetFromJsonAsync<JsonElement>($"/api/v1/api-keys/{KeyId(key)}", Ct);
        Assert.False(shown.GetProperty("active").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, shown.GetProperty("revokedAt").ValueKind);
        // Revoking again changes nothing.
        Assert.Equal(HttpStatusCode.NoContent, (await Trade.Buyer.Http.DeleteAsync($"/api/v1/api-keys/{KeyId(key)}", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_expired_key_is_refused()
    {
        var owner = await App.CreateApiClient().SignUpAsync();
        var expiresAt = App.Clock.GetUtcNow().AddHours(1);
        var key = await CreateKeyAsync(owner, [ApiScopes.OrdersRead], expiresAt);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/v1/orders", key)).StatusCode);

        App.FakeClock.Advance(TimeSpan.FromHours(2));

        var refused = await SendAsync(HttpMethod.Get, "/api/v1/orders", key);
        await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "api_key.invalid");
        Assert.Contains("expired", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_accounts_key_is_not_found_and_stays_valid()
    {
        var key = await CreateKeyAsync(Trade.Seller, ApiScopes.OrdersRead);
        var stranger = await App.CreateApiClient().SignUpAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/api-keys/{KeyId(key)}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.DeleteAsync($"/api/v1/api-keys/{KeyId(key)}", Ct)).StatusCode);
        Assert.DoesNotContain(KeyId(key).ToString(), await stranger.Http.GetStringAsync("/api/v1/api-keys", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/v1/orders", key)).StatusCode);
    }

    [Fact]
    public async Task A_tampered_key_or_one_of_the_other_mode_is_refused()
    {
        var key = await CreateKeyAsync(Trade.Buyer, ApiScopes.OrdersRead);
        var tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');
        var otherId = "mkp_test_" + Guid.NewGuid().ToString("N") + key[^44..];
        var live = "mkp_live_" + key["mkp_test_".Length..];

        foreach (var bad in new[] { tampered, otherId, live, "mkp_test_short", key + "x" })
        {
            var refused = await SendAsync(HttpMethod.Get, "/api/v1/orders", bad);
            await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "api_key.invalid");
        }

        Assert.Contains("Sandbox", await (await SendAsync(HttpMethod.Get, "/api/v1/orders", live)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/v1/orders", key)).StatusCode);
    }

    [Fact]
    public async Task The_database_keeps_the_hash_of_the_secret_not_the_secret()
    {
        var key = await CreateKeyAsync(Trade.Buyer, ApiScopes.OrdersRead);
        var secret = key[^43..];

        await using var scope = App.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().ApiKeys.AsNoTracking().SingleAsync(k => k.Id == KeyId(key), Ct);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), stored.SecretHash);
        Assert.Equal(secret[^4..], stored.LastFour);
        foreach (var text in new[] { stored.Name, stored.Scopes, stored.LastFour })
            Assert.DoesNotContain(secret[..8], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Last_use_is_recorded_at_most_once_a_minute()
    {
        var owner = await App.CreateApiClient().SignUpAsync();
        var key = await CreateKeyAsync(owner, ApiScopes.OrdersRead);
        Assert.Equal(JsonValueKind.Null, (await KeyAsync(owner, key)).GetProperty("lastUsedAt").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/v1/orders", key)).StatusCode);
        var first = (await KeyAsync(owner, key)).GetProperty("lastUsedAt").GetDateTimeOffset();
        Assert.Equal(App.Clock.GetUtcNow(), first, TimeSpan.FromSeconds(1));

        App.FakeClock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/v1/orders", key)).StatusCode);
        Assert.Equal(first, (await KeyAsync(owner, key)).GetProperty("lastUsedAt").GetDateTimeOffset());

        App.FakeClock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/v1/orders", key)).StatusCode);
        Assert.True((await KeyAsync(owner, key)).GetProperty("lastUsedAt").GetDateTimeOffset() > first);
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        var owner = await App.CreateApiClient().SignUpAsync();
        await AssertFieldAsync(owner, new { name = "", scopes = new[] { "orders:read" } }, "name");
        await AssertFieldAsync(owner, new { name = new string('n', 101), scopes = new[] { "orders:read" } }, "name");
        await AssertFieldAsync(owner, new { name = "k", scopes = Array.Empty<string>() }, "scopes");
        await AssertFieldAsync(owner, new { name = "k", scopes = new[] { "orders:read", "orders:admin" } }, "scopes[1]");
        await AssertFieldAsync(owner, new { name = "k", scopes = new[] { "orders:read" }, expiresAt = App.Clock.GetUtcNow().AddMinutes(-1) }, "expiresAt");
    }

    [Fact]
    public async Task An_account_holds_at_most_twenty_active_keys()
    {
        var owner = await App.CreateApiClient().SignUpAsync();
        var keys = new List<string>();
        for (var i = 0; i < 20; i++) keys.Add(await CreateKeyAsync(owner, ApiScopes.OrdersRead));

        var refused = await owner.Http.PostAsJsonAsync("/api/v1/api-keys", new { name = "one more", scopes = new[] { "orders:read" } }, Ct);
        await AssertProblemAsync(refused, HttpStatusCode.Conflict, "api_key.limit_reached");

        await owner.Http.DeleteAsync($"/api/v1/api-keys/{KeyId(keys[0])}", Ct);
        await CreateKeyAsync(owner, ApiScopes.OrdersRead);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private async Task<string> CreateKeyAsync(ApiClient owner, params string[] scopes) => await CreateKeyAsync(owner, scopes, null);

    private async Task<string> CreateKeyAsync(ApiClient owner, string[] scopes, DateTimeOffset? expiresAt)
    {
        var response = await owner.Http.PostAsJsonAsync("/api/v1/api-keys", new { name = "automation", scopes, expiresAt }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("key").GetString()!;
    }

    private static Guid KeyId(string key) => Guid.ParseExact(key.Substring("mkp_test_".Length, 32), "N");

    private static async Task<JsonElement> KeyAsync(ApiClient owner, string key) =>
        await owner.Http.GetFromJsonAsync<JsonElement>($"/api/v1/api-keys/{KeyId(key)}", Ct);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await App.CreateClient().SendAsync(request, Ct);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    private static async Task AssertFieldAsync(ApiClient owner, object body, string field)
    {
        var response = await owner.Http.PostAsJsonAsync("/api/v1/api-keys", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named: {text}");
    }
}
