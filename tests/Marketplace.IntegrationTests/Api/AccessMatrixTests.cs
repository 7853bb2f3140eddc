using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// Who may call what. Every /api/v1 endpoint the running app maps is called, with a valid request, as
/// an anonymous caller, a stranger (an unrelated account), a buyer (has an order on the seller's listing)
/// and the seller (owns the wallet and the listing); the status must be the one in <see cref="Rows"/>.
/// An endpoint the app maps without a row fails the test: a new endpoint cannot ship without someone
/// writing down its authorization rule.
/// </summary>
public sealed class AccessMatrixTests(AccessMatrixTests.World world) : IClassFixture<AccessMatrixTests.World>
{
    public enum Role { Anonymous, Stranger, Buyer, Seller }

    /// <summary>One endpoint: the expected status for each role, and how to build a valid request as that role.</summary>
    public sealed record Row(string Endpoint, int Anonymous, int Stranger, int Buyer, int Seller, Func<World, Role, Task<HttpRequestMessage>> Request)
    {
        public int Expected(Role role) => role switch
        {
            Role.Anonymous => Anonymous,
            Role.Stranger => Stranger,
            Role.Buyer => Buyer,
            _ => Seller,
        };
    }

    // 404 for others' orders and listings: they look missing rather than forbidden (docs/api.md).
    // 422 for someone else's wallet: reported exactly like a wallet that does not exist.
    public static readonly IReadOnlyList<Row> Rows =
    [
        //   "METHOD /route/template"                    anon stranger buyer seller  request
        new("POST /api/v1/auth/register", 201, 201, 201, 201, (w, _) => Post("/api/v1/auth/register", new { email = World.NewEmail(), password = World.Password })),
        new("POST /api/v1/auth/login", 200, 200, 200, 200, (w, _) => Post("/api/v1/auth/login", new { email = w.StrangerEmail, password = World.Password })),
        // The refresh token is the credential (rotated on use): each call brings a fresh one of the stranger's.
        new("POST /api/v1/auth/refresh", 200, 200, 200, 200, async (w, _) => await Post("/api/v1/auth/refresh", new { refreshToken = await w.FreshRefreshTokenAsync() })),
        new("POST /api/v1/wallets", 401, 201, 201, 201, async (w, _) => await Post("/api/v1/wallets", await w.NewQiwiWalletAsync())),
        new("GET /api/v1/wallets", 401, 200, 200, 200, (w, _) => Get("/api/v1/wallets")),
        new("GET /api/v1/wallets/{id}", 401, 404, 404, 200, (w, _) => Get($"/api/v1/wallets/{w.Trade.SellerWallet.Id}")),
        // An account is seen by its owner only (the seller's account here).
        new("GET /api/v1/accounts/{id}", 401, 404, 404, 200, (w, _) => Get($"/api/v1/accounts/{w.Trade.Listing.SellerId}")),
        new("PATCH /api/v1/accounts/{id}", 401, 404, 404, 200, (w, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Patch,
            $"/api/v1/accounts/{w.Trade.Listing.SellerId}") { Content = JsonContent.Create(new { displayName = $"Seller {Guid.NewGuid():N}"[..20] }) })),
        new("POST /api/v1/listings", 401, 422, 422, 201, (w, _) => Post("/api/v1/listings", new
        {
            title = "Game key", category = "games", price = new { amount = 10m, currency = "RUB" }, walletId = w.Trade.SellerWallet.Id,
        })),
        new("POST /api/v1/listings/{id}/items", 401, 404, 404, 200, (w, _) => Post($"/api/v1/listings/{w.Trade.Listing.Id}/items", new { items = new[] { $"KEY-{Guid.NewGuid():N}" } })),
        new("POST /api/v1/listings/{id}/items/import", 401, 404, 404, 200, (w, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post,
            $"/api/v1/listings/{w.Trade.Listing.Id}/items/import") { Content = new StringContent($"KEY-{Guid.NewGuid():N}", System.Text.Encoding.UTF8, "text/plain") })),
        new("GET /api/v1/listings/{id}/items", 401, 404, 404, 200, (w, _) => Get($"/api/v1/listings/{w.Trade.Listing.Id}/items")),
        new("GET /api/v1/listings/{id}/items/export", 401, 404, 404, 200, (w, _) => Get($"/api/v1/listings/{w.Trade.Listing.Id}/items/export")),
        // Removal: each call removes a key just added (so every role meets an available item).
        new("DELETE /api/v1/listings/{id}/items/{itemId}", 401, 404, 404, 200, async (w, _) =>
            new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/listings/{w.Trade.Listing.Id}/items/{await w.NewItemAsync()}")),
        new("POST /api/v1/listings/{id}/items/remove", 401, 404, 404, 200, async (w, _) =>
            await Post($"/api/v1/listings/{w.Trade.Listing.Id}/items/remove", new { itemIds = new[] { await w.NewItemAsync() } })),
        // Seller tools on a listing of its own (the matrix listing must stay on sale for the other rows).
        new("PATCH /api/v1/listings/{id}", 401, 404, 404, 200, (w, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Patch,
            $"/api/v1/listings/{w.Trade.Listing.Id}") { Content = JsonContent.Create(new { description = "Activation key, region free" }) })),
        new("POST /api/v1/listings/{id}/pause", 401, 404, 404, 200, async (w, _) => await Post($"/api/v1/listings/{await w.SpareListingAsync()}/pause", new { })),
        new("POST /api/v1/listings/{id}/resume", 401, 404, 404, 200, async (w, _) => await Post($"/api/v1/listings/{await w.SpareListingAsync()}/resume", new { })),
        new("POST /api/v1/listings/{id}/archive", 401, 404, 404, 200, async (w, _) => await Post($"/api/v1/listings/{(await w.Trade.Seller.CreateListingAsync(w.Trade.SellerWallet.Id)).Id}/archive", new { })),
        new("GET /api/v1/listings/mine", 401, 200, 200, 200, (w, _) => Get("/api/v1/listings/mine")),
        new("GET /api/v1/listings", 200, 200, 200, 200, (w, _) => Get("/api/v1/listings")),
        new("GET /api/v1/listings/{id}", 200, 200, 200, 200, (w, _) => Get($"/api/v1/listings/{w.Trade.Listing.Id}")),
        new("POST /api/v1/orders", 401, 201, 201, 409, (w, _) => Post("/api/v1/orders", new { listingId = w.Trade.Listing.Id, quantity = 1 })),
        new("GET /api/v1/orders", 401, 200, 200, 200, (w, _) => Get("/api/v1/orders")),
        new("GET /api/v1/orders/{id}", 401, 404, 200, 200, (w, _) => Get($"/api/v1/orders/{w.BuyerOrderId}")),
        // Cancel: only the buyer; each call cancels an order the buyer has just placed.
        new("POST /api/v1/orders/{id}/cancel", 401, 404, 200, 404, async (w, _) => await Post($"/api/v1/orders/{(await w.Trade.Buyer.PlaceOrderAsync(w.Trade.Listing.Id)).Id}/cancel", new { })),
        new("GET /api/v1/info", 200, 200, 200, 200, (w, _) => Get("/api/v1/info")),
        new("GET /api/v1/wallets/{id}/transfers", 401, 404, 404, 200, (w, _) => Get($"/api/v1/wallets/{w.Trade.SellerWallet.Id}/transfers")),
        new("POST /api/v1/wallets/{id}/transfers/{transferId}/attach", 401, 404, 404, 200, async (w, _) =>
            await Post($"/api/v1/wallets/{w.Trade.SellerWallet.Id}/transfers/{await w.NewInboxTransferAsync()}/attach",
                new { orderId = (await w.Trade.Buyer.PlaceOrderAsync(w.Trade.Listing.Id)).Id })),
        new("POST /api/v1/wallets/{id}/transfers/{transferId}/resolve", 401, 404, 404, 200, async (w, _) =>
            await Post($"/api/v1/wallets/{w.Trade.SellerWallet.Id}/transfers/{await w.NewInboxTransferAsync()}/resolve", new { note = "Not a sale" })),
        new("POST /api/v1/orders/{id}/payment-claims", 401, 404, 200, 404, async (w, _) =>
        {
            var transactionId = await w.NewOutsideTransferAsync();
            await w.App.Watcher.RunOnceAsync(CancellationToken.None); // claims use what the matcher has read
            var order = await w.Trade.Buyer.PlaceOrderAsync(w.Trade.Listing.Id);
            return await Post($"/api/v1/orders/{order.Id}/payment-claims", new { transactionId, payerAccount = "+79990001122" });
        }),
        // After delivery: the items, confirmation and disputes (docs/disputes.md has the table). State-changing
        // calls get a fresh delivered order (or dispute) each, so every role meets the same starting state.
        new("GET /api/v1/orders/{id}/items", 401, 404, 200, 404, async (w, _) => await Get($"/api/v1/orders/{await w.DeliveredOrderAsync()}/items")),
        new("POST /api/v1/orders/{id}/confirm", 401, 404, 200, 404, async (w, _) => await Post($"/api/v1/orders/{await w.NewDeliveredOrderAsync()}/confirm", new { })),
        new("POST /api/v1/orders/{id}/disputes", 401, 404, 201, 404, async (w, _) =>
            await Post($"/api/v1/orders/{await w.NewDeliveredOrderAsync()}/disputes", new { reason = "KeyInvalid", description = "Already used" })),
        new("POST /api/v1/orders/{id}/rating", 401, 404, 200, 404, async (w, _) => await Post($"/api/v1/orders/{await w.NewCompletedOrderAsync()}/rating", new { stars = 5 })),
        new("GET /api/v1/sellers/{id}", 200, 200, 200, 200, (w, _) => Get($"/api/v1/sellers/{w.Trade.Listing.SellerId}")),
        new("GET /api/v1/disputes", 401, 200, 200, 200, (w, _) => Get("/api/v1/disputes")),
        new("GET /api/v1/disputes/{id}", 401, 404, 200, 200, async (w, _) => await Get($"/api/v1/disputes/{await w.DisputeAsync()}")),
        new("GET /api/v1/disputes/{id}/evidence", 401, 404, 200, 200, async (w, _) => await Get($"/api/v1/disputes/{await w.DisputeAsync()}/evidence")),
        new("POST /api/v1/disputes/{id}/messages", 401, 404, 200, 200, async (w, _) => await Post($"/api/v1/disputes/{await w.DisputeAsync()}/messages", new { text = "Any news?" })),
        new("POST /api/v1/disputes/{id}/replace", 401, 404, 403, 200, async (w, _) => await Post($"/api/v1/disputes/{await w.NewDisputeAsync()}/replace", new { })),
        // Seller only; a transaction the wallet does not have is refused after the role check (422), never before it.
        new("POST /api/v1/disputes/{id}/refunds", 401, 404, 403, 422, async (w, _) => await Post($"/api/v1/disputes/{await w.DisputeAsync()}/refunds", new { transactionId = "999999999" })),
        // Seller only; the matrix seller's token may not pay, so the wallet refuses (422) after the role check.
        new("POST /api/v1/disputes/{id}/refunds/send", 401, 404, 403, 422, async (w, _) => await Post($"/api/v1/disputes/{await w.NewDisputeAsync()}/refunds/send", new { amount = 1.00m })),
        new("POST /api/v1/disputes/{id}/contest", 401, 404, 403, 200, async (w, _) => await Post($"/api/v1/disputes/{await w.NewDisputeAsync()}/contest", new { statement = "It works" })),
        new("POST /api/v1/disputes/{id}/withdraw", 401, 404, 200, 403, async (w, _) => await Post($"/api/v1/disputes/{await w.NewDisputeAsync()}/withdraw", new { })),
        // Moderators only (none of these roles is one): an escalated dispute, so only the role can refuse.
        new("POST /api/v1/disputes/{id}/decision", 401, 404, 403, 403, async (w, _) =>
            await Post($"/api/v1/disputes/{await w.NewDisputeAsync(escalated: true)}/decision", new { decision = "ForSeller", note = "Works as described" })),
        new("POST /api/v1/moderators", 401, 403, 403, 403, (w, _) => Post("/api/v1/moderators", new { email = w.StrangerEmail })),
        // Called by the wallet provider, never by users: without a hook and its signature, refused for everyone alike.
        new("POST /api/v1/hooks/{method}/{walletId:guid}", 403, 403, 403, 403, (w, _) =>
            Post($"/api/v1/hooks/qiwi/{w.Trade.SellerWallet.Id:N}", new { hash = "00", payment = new { txnId = "1" } })),
        // API keys: managed with a login token, each account sees only its own (404 for anyone else's key).
        new("POST /api/v1/api-keys", 401, 201, 201, 201, (w, _) => Post("/api/v1/api-keys", new { name = "matrix", scopes = new[] { "orders:read" } })),
        new("GET /api/v1/api-keys", 401, 200, 200, 200, (w, _) => Get("/api/v1/api-keys")),
        new("GET /api/v1/api-keys/{id}", 401, 404, 404, 200, async (w, _) => await Get($"/api/v1/api-keys/{await w.SellerApiKeyAsync()}")),
        new("DELETE /api/v1/api-keys/{id}", 401, 404, 404, 204, async (w, _) =>
            new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/api-keys/{await w.NewSellerApiKeyAsync()}")),
        // Webhook endpoints belong to one account (here the seller's); anyone else's look missing (404).
        new("POST /api/v1/webhooks", 401, 201, 201, 201, (w, _) => Post("/api/v1/webhooks", new { url = World.HookUrl, eventTypes = new[] { "order.created" } })),
        new("GET /api/v1/webhooks", 401, 200, 200, 200, (w, _) => Get("/api/v1/webhooks")),
        new("GET /api/v1/webhooks/{id:guid}", 401, 404, 404, 200, async (w, _) => await Get($"/api/v1/webhooks/{await w.SellerWebhookAsync()}")),
        new("PATCH /api/v1/webhooks/{id:guid}", 401, 404, 404, 200, async (w, _) =>
            new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/webhooks/{await w.SellerWebhookAsync()}") { Content = JsonContent.Create(new { description = "shop" }) }),
        // Each call deletes an endpoint the seller has just registered.
        new("DELETE /api/v1/webhooks/{id:guid}", 401, 404, 404, 204, async (w, _) =>
            new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/webhooks/{await w.NewSellerWebhookAsync()}")),
        new("POST /api/v1/webhooks/{id:guid}/rotate-secret", 401, 404, 404, 200, async (w, _) => await Post($"/api/v1/webhooks/{await w.SellerWebhookAsync()}/rotate-secret", new { })),
        new("POST /api/v1/webhooks/{id:guid}/test", 401, 404, 404, 202, async (w, _) => await Post($"/api/v1/webhooks/{await w.SellerWebhookAsync()}/test", new { })),
        new("GET /api/v1/webhooks/{id:guid}/deliveries", 401, 404, 404, 200, async (w, _) => await Get($"/api/v1/webhooks/{await w.SellerWebhookAsync()}/deliveries")),
        new("POST /api/v1/webhooks/{id:guid}/deliveries/{deliveryId:guid}/redeliver", 401, 404, 404, 202, async (w, _) =>
            await Post($"/api/v1/webhooks/{await w.SellerWebhookAsync()}/deliveries/{await w.SellerWebhookDeliveryAsync()}/redeliver", new { })),
        // Logout and password change act on the caller's own session or account, so each call gets a
        // session of its own (a fresh login, or a throwaway account) instead of ending the role's shared one.
        new("POST /api/v1/auth/logout", 401, 204, 204, 204, async (w, role) => WithToken(await Post("/api/v1/auth/logout", new { }), await w.FreshSessionAsync(role))),
        new("POST /api/v1/auth/password", 401, 200, 200, 200, async (w, role) =>
            WithToken(await Post("/api/v1/auth/password", new { currentPassword = World.Password, newPassword = "another-horse-2" }),
                role == Role.Anonymous ? null : await w.ThrowawaySessionAsync())),
    ];

    [Fact]
    public void Every_endpoint_of_the_app_has_a_row_and_every_row_an_endpoint()
    {
        var mapped = world.MappedEndpoints();
        var rows = Rows.Select(r => r.Endpoint).ToList();

        var missing = mapped.Keys.Except(rows).Order().ToList();
        Assert.True(missing.Count == 0,
            "These endpoints have no row in AccessMatrixTests.Rows. Add one line per endpoint with its authorization rule: " +
            "the expected status for anonymous, stranger, buyer and seller, and a function that builds a valid request:\n  " +
            string.Join("\n  ", missing));
        var stale = rows.Except(mapped.Keys).ToList();
        Assert.True(stale.Count == 0, "These rows name no endpoint of the app (renamed or removed?): " + string.Join(", ", stale));
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public void The_table_agrees_with_each_endpoints_authorization_metadata()
    {
        var mapped = world.MappedEndpoints();
        var disagreements = Rows.Where(r => mapped.TryGetValue(r.Endpoint, out var endpoint)
                                             && RequiresAuthorization(endpoint) != (r.Anonymous == 401))
            .Select(r => $"{r.Endpoint}: the table says anonymous gets {r.Anonymous}, the endpoint "
                         + (RequiresAuthorization(mapped[r.Endpoint]) ? "requires authorization" : "allows anonymous callers"))
            .ToList();

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    public static TheoryData<string> Endpoints => new(Rows.Select(r => r.Endpoint));

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_role_gets_the_expected_status(string endpoint)
    {
        var row = Rows.Single(r => r.Endpoint == endpoint);
        var wrong = new List<string>();
        foreach (var role in Enum.GetValues<Role>())
        {
            using var request = await row.Request(world, role);
            using var response = await world.Client(role).SendAsync(request, TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            if (status != row.Expected(role))
                wrong.Add($"{role}: expected {row.Expected(role)}, got {status}: {await response.Content.ReadAsStringAsync()}");
            else if (status >= 400)
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.True(wrong.Count == 0, $"{endpoint}\n" + string.Join("\n", wrong));
    }

    private static bool RequiresAuthorization(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;

    private static Task<HttpRequestMessage> Post(string url, object body) =>
        Task.FromResult(new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) });

    private static Task<HttpRequestMessage> Get(string url) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>A request carrying its own bearer token (it wins over the role client's default header); none stays anonymous.</summary>
    private static HttpRequestMessage WithToken(HttpRequestMessage request, string? accessToken)
    {
        if (accessToken is not null) request.Headers.Authorization = new("Bearer", accessToken);
        return request;
    }

    /// <summary>The seller's wallet, stocked listing and the buyer's order on it; a stranger with nothing.</summary>
    public sealed class World(PostgresServer postgres) : IAsyncLifetime
    {
        public const string Password = "correct-horse-1";

        private HttpClient _anonymous = null!;
        private ApiClient _stranger = null!;

        public MarketplaceApp App { get; private set; } = null!;
        public TradeSetup Trade { get; private set; } = null!;
        public string StrangerEmail { get; } = NewEmail();
        public Guid BuyerOrderId { get; private set; }

        public static string NewEmail() => $"matrix-{Guid.NewGuid():N}@example.com";

        public async ValueTask InitializeAsync()
        {
            App = await MarketplaceApp.StartOnPostgresAsync(postgres);
            Trade = await TradeSetup.CreateAsync(App, items: 100);
            BuyerOrderId = (await Trade.Buyer.PlaceOrderAsync(Trade.Listing.Id)).Id;
            _anonymous = App.CreateClient();
            _stranger = await App.CreateApiClient().SignUpAsync(StrangerEmail, Password);
        }

        public async ValueTask DisposeAsync() => await App.DisposeAsync();

        public HttpClient Client(Role role) => role switch
        {
            Role.Anonymous => _anonymous,
            Role.Stranger => _stranger.Http,
            Role.Buyer => Trade.Buyer.Http,
            _ => Trade.Seller.Http,
        };

        /// <summary>The refresh token of a new login of the stranger.</summary>
        public async Task<string> FreshRefreshTokenAsync()
        {
            var login = await _anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = StrangerEmail, password = Password });
            return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refreshToken").GetString()!;
        }

        /// <summary>A new session (login) of the role's own account; null for the anonymous caller.</summary>
        public async Task<string?> FreshSessionAsync(Role role)
        {
            var (email, password) = role switch
            {
                Role.Anonymous => (null, null),
                Role.Stranger => (StrangerEmail, Password),
                Role.Buyer => Trade.Buyer.Credentials!.Value,
                _ => Trade.Seller.Credentials!.Value,
            };
            if (email is null) return null;
            var login = await _anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
            return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        }

        /// <summary>A signed-in account of its own, with <see cref="Password"/>: for calls that change the account itself.</summary>
        public async Task<string> ThrowawaySessionAsync()
        {
            var account = await App.CreateApiClient().SignUpAsync(NewEmail(), Password);
            return account.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        }

        private Guid? _sellerApiKey;

        /// <summary>One API key of the seller shared by read-only rows.</summary>
        public async Task<Guid> SellerApiKeyAsync() => _sellerApiKey ??= await NewSellerApiKeyAsync();

        /// <summary>A new API key of the seller: its id.</summary>
        public async Task<Guid> NewSellerApiKeyAsync()
        {
            var created = await Trade.Seller.Http.PostAsJsonAsync("/api/v1/api-keys", new { name = "matrix", scopes = new[] { "orders:read" } });
            created.EnsureSuccessStatusCode();
            return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        /// <summary>A receiver nobody listens on (the matrix never runs the relay); loopback is allowed in Sandbox.</summary>
        public const string HookUrl = "http://127.0.0.1:9/hooks";

        private Guid? _sellerWebhook;
        private Guid? _sellerWebhookDelivery;

        /// <summary>A new webhook endpoint of the seller's.</summary>
        public async Task<Guid> NewSellerWebhookAsync()
        {
            var created = await Trade.Seller.Http.PostAsJsonAsync("/api/v1/webhooks", new { url = HookUrl, eventTypes = new[] { "order.created" } });
            created.EnsureSuccessStatusCode();
            return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("endpoint").GetProperty("id").GetGuid();
        }

        /// <summary>One webhook endpoint of the seller's, shared by the rows that do not remove it.</summary>
        public async Task<Guid> SellerWebhookAsync() => _sellerWebhook ??= await NewSellerWebhookAsync();

        /// <summary>A delivery in the log of the seller's endpoint (a test ping).</summary>
        public async Task<Guid> SellerWebhookDeliveryAsync()
        {
            if (_sellerWebhookDelivery is { } known) return known;
            var ping = await Trade.Seller.Http.PostAsync($"/api/v1/webhooks/{await SellerWebhookAsync()}/test", null);
            ping.EnsureSuccessStatusCode();
            return (_sellerWebhookDelivery = (await ping.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()).Value;
        }

        private Guid? _spareListing;

        /// <summary>A second listing of the seller, for pause and resume (each idempotent, so their order does not matter).</summary>
        public async Task<Guid> SpareListingAsync() => _spareListing ??= (await Trade.Seller.CreateListingAsync(Trade.SellerWallet.Id)).Id;

        /// <summary>An available item of the matrix listing, after adding one more key (so removals never run it dry).</summary>
        public async Task<Guid> NewItemAsync()
        {
            var key = $"KEY-{Guid.NewGuid():N}";
            await Trade.Seller.AddItemsAsync(Trade.Listing.Id, key);
            var page = await Trade.Seller.Http.GetFromJsonAsync<JsonElement>($"/api/v1/listings/{Trade.Listing.Id}/items?status=Available&pageSize=500");
            return page.GetProperty("items").EnumerateArray().First().GetProperty("id").GetGuid();
        }

        private Guid? _deliveredOrder;
        private Guid? _dispute;

        /// <summary>A new order of the buyer, paid and delivered.</summary>
        public async Task<Guid> NewDeliveredOrderAsync()
        {
            var order = await Trade.Buyer.PlaceOrderAsync(Trade.Listing.Id);
            await Trade.Qiwi.PayAsync(Trade.BuyerQiwiToken, Trade.SellerPhone, order.Total.Amount, order.Payment.Comment);
            await App.Watcher.RunOnceAsync(CancellationToken.None);
            return order.Id;
        }

        /// <summary>A new order of the buyer, delivered and confirmed (complete).</summary>
        public async Task<Guid> NewCompletedOrderAsync()
        {
            var order = await NewDeliveredOrderAsync();
            (await Trade.Buyer.ConfirmReceiptRawAsync(order)).EnsureSuccessStatusCode();
            return order;
        }

        /// <summary>One delivered order shared by read-only rows.</summary>
        public async Task<Guid> DeliveredOrderAsync() => _deliveredOrder ??= await NewDeliveredOrderAsync();

        /// <summary>A new dispute of the buyer on a new delivered order (contested by the seller when <paramref name="escalated"/>).</summary>
        public async Task<Guid> NewDisputeAsync(bool escalated = false)
        {
            var dispute = await Trade.Buyer.OpenDisputeAsync(await NewDeliveredOrderAsync());
            if (escalated) await Trade.Seller.DisputeActionAsync(dispute.Id, "contest", new { });
            return dispute.Id;
        }

        /// <summary>One open dispute shared by rows that leave it open.</summary>
        public async Task<Guid> DisputeAsync() => _dispute ??= await NewDisputeAsync();

        /// <summary>A transfer with no order code into the seller's wallet, read by the matcher: the id of its inbox entry.</summary>
        public async Task<Guid> NewInboxTransferAsync()
        {
            var transactionId = await NewOutsideTransferAsync();
            await App.Watcher.RunOnceAsync(CancellationToken.None);
            var inbox = await Trade.Seller.GetTransfersAsync(Trade.SellerWallet.Id, inbox: true);
            return inbox.Items.Single(t => t.TransactionId == transactionId).Id;
        }

        /// <summary>A transfer from an outside account (+79990001122) without an order code; its transaction id.</summary>
        public async Task<string> NewOutsideTransferAsync() =>
            (await Trade.Qiwi.InjectIncomingAsync(Trade.SellerPhone, 150.00m, "a gift")).ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>A fresh QIWI wallet in the emulator and a token that may read it: what POST /wallets needs.</summary>
        public async Task<object> NewQiwiWalletAsync()
        {
            var phone = await Trade.Qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
            var token = await Trade.Qiwi.IssueTokenAsync(phone, "ProfileRead", "HistoryRead");
            return new { provider = "qiwi", account = phone, token };
        }

        /// <summary>"METHOD /api/v1/route/{template}" for every endpoint the app maps under /api/v1.</summary>
        public Dictionary<string, Endpoint> MappedEndpoints()
        {
            var result = new Dictionary<string, Endpoint>(StringComparer.Ordinal);
            foreach (var endpoint in App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
            {
                var template = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
                if (!template.StartsWith("/api/v1/", StringComparison.Ordinal)) continue;
                foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                    result[$"{method} {template}"] = endpoint;
            }

            return result;
        }
    }
}
