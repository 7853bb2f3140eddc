using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Marketplace.Client;
using Marketplace.Client.Models;
using Marketplace.Infrastructure.Webhooks;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.IntegrationTests.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Client;

/// <summary>
/// A game-key reseller's whole day through src/Marketplace.Client, as its own systems would run it:
/// an API key instead of a password, stock imported as a file, a storefront buyer who retries an
/// order over a flaky network, delivery learned from a signed webhook, errors as problem codes.
/// </summary>
public sealed class ClientTradeTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Password = "correct-horse-1";
    private MarketplaceApp _app = null!;
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres);
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A client of the app under test (its in-memory server), as a reseller would build one.</summary>
    private MarketplaceClient NewClient() => MarketplaceClient.Create(new Uri("http://localhost"), handler: _app.Server.CreateHandler());

    private async Task<MarketplaceClient> SignedUpAsync()
    {
        var client = NewClient();
        var email = $"client-{Guid.NewGuid():N}@example.com";
        await client.Accounts.RegisterAsync(new RegisterRequest(email, Password));
        client.UseCredential((await client.Accounts.LogInAsync(new LoginRequest(email, Password))).AccessToken);
        return client;
    }

    [Fact]
    public async Task A_reseller_sells_through_the_client_with_an_api_key_and_learns_of_the_delivery_by_a_signed_webhook()
    {
        var qiwi = _app.CreateEmulatorClient();
        var sellerPhone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var sellerToken = await qiwi.IssueTokenAsync(sellerPhone, "ProfileRead", "HistoryRead");
        var buyerPhone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone(), balance: 10_000m);
        var buyerToken = await qiwi.IssueTokenAsync(buyerPhone);

        // The reseller's operator makes a key for the automation; from then on the automation never uses the password.
        var owner = await SignedUpAsync();
        var key = await owner.ApiKeys.CreateAsync(new CreateApiKeyRequest("delivery-bot",
            ["listings:read", "listings:write", "wallets:read", "wallets:write", "orders:read", "webhooks:read", "webhooks:write"]));
        Assert.StartsWith("mkp_test_", key.Key, StringComparison.Ordinal);
        var seller = NewClient();
        seller.UseCredential(key.Key);

        var wallet = await seller.Wallets.ConnectAsync(new ConnectWalletRequest("qiwi", sellerPhone, sellerToken));
        Assert.Equal(wallet.Id, (await seller.Wallets.GetAsync(wallet.Id)).Id);
        var listing = await seller.Listings.CreateAsync(new CreateListingRequest(
            "Steam key: Portal 2", "Global key.", "game-keys", new Money(150.00m, "RUB"), wallet.Id));

        // Stock arrives as a file; the repeated line is reported by its number, not stored.
        var keys = new[] { $"PORTAL-{Guid.NewGuid():N}", $"PORTAL-{Guid.NewGuid():N}" };
        var file = new StringContent($"{keys[0]}\n{keys[1]}\n{keys[0]}\n", Encoding.UTF8);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var imported = await seller.Listings.ImportAsync(listing.Id, file);
        Assert.Equal((3, 2, 1, 2), (imported.Received, imported.Added, imported.Rejected, imported.Stock));
        Assert.Equal(3, Assert.Single(imported.Rejections).Line);

        var hook = await seller.Webhooks.CreateAsync(new CreateWebhookEndpointRequest(_receiver.Url, ["order.delivered"]));
        Assert.StartsWith("whsec_", hook.Secret, StringComparison.Ordinal);

        // A storefront buyer: the first attempt's answer is lost, the retry carries the same Idempotency-Key.
        var buyer = await SignedUpAsync();
        var idempotencyKey = Guid.NewGuid().ToString();
        var order = await buyer.Orders.PlaceAsync(new PlaceOrderRequest(listing.Id), idempotencyKey);
        var retried = await buyer.Orders.PlaceAsync(new PlaceOrderRequest(listing.Id), idempotencyKey);
        Assert.Equal(order.Id, retried.Id);
        Assert.Equal(1, (await seller.Listings.GetAsync(listing.Id)).Stock); // reserved once, not twice

        await qiwi.PayAsync(buyerToken, sellerPhone, order.Payment.Amount, order.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        await _app.Services.GetRequiredService<WebhookRelay>().RunOnceAsync(CancellationToken.None);

        // The reseller's receiver verifies the signature before trusting the event.
        var delivery = Assert.Single(_receiver.Requests);
        Assert.True(WebhookSignature.Verify(delivery.Body, delivery.Signature, [hook.Secret], _app.Clock.GetUtcNow()));
        Assert.False(WebhookSignature.Verify(delivery.Body.Replace("Delivered", "Expired", StringComparison.Ordinal), delivery.Signature, [hook.Secret], _app.Clock.GetUtcNow()));
        using var envelope = JsonDocument.Parse(delivery.Body);
        Assert.Equal("order.delivered", envelope.RootElement.GetProperty("type").GetString());
        Assert.Equal(order.Id, envelope.RootElement.GetProperty("data").GetProperty("id").GetGuid());

        // The seller sees the sale, the buyer the goods (and only the buyer).
        var sold = await seller.Orders.GetAsync(order.Id);
        Assert.True(sold.IsDelivered);
        var items = await buyer.Orders.GetItemsAsync(order.Id);
        Assert.Contains(Assert.Single(items).Payload, keys);
        var refused = await Assert.ThrowsAsync<MarketplaceProblemException>(() => seller.Orders.GetItemsAsync(order.Id));
        Assert.Equal(HttpStatusCode.NotFound, refused.Status); // the goods are the buyer's alone

        var listed = await seller.Listings.ListItemsAsync(listing.Id);
        Assert.Contains(listed.Items, item => item.OrderId == order.Id && item.Status == "Sold");
    }

    [Fact]
    public async Task Errors_arrive_as_problems_with_a_code_and_a_revoked_key_stops_at_once()
    {
        var owner = await SignedUpAsync();
        var key = await owner.ApiKeys.CreateAsync(new CreateApiKeyRequest("reader", ["orders:read"]));
        var bot = NewClient();
        bot.UseCredential(key.Key);
        Assert.Empty((await bot.Orders.ListAsync()).Items);

        var forbidden = await Assert.ThrowsAsync<MarketplaceProblemException>(() =>
            bot.Listings.CreateAsync(new CreateListingRequest("x", null, "game-keys", new Money(1m, "RUB"), Guid.NewGuid())));
        Assert.Equal((HttpStatusCode.Forbidden, "api_key.scope_missing"), (forbidden.Status, forbidden.Problem.Code));

        var invalid = await Assert.ThrowsAsync<MarketplaceProblemException>(() => owner.Orders.PlaceAsync(new PlaceOrderRequest(Guid.NewGuid(), 0)));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal("validation_failed", invalid.Problem.Code);
        Assert.Contains("quantity", invalid.Problem.Errors!.Keys);

        await owner.ApiKeys.RevokeAsync(key.Id);
        var revoked = await Assert.ThrowsAsync<MarketplaceProblemException>(() => bot.Orders.ListAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.Status);
        Assert.False((await owner.ApiKeys.GetAsync(key.Id)).Active);
    }
}
