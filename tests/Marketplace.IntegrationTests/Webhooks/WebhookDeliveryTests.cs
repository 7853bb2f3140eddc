using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Orders;
using Marketplace.Application.Webhooks;
using Marketplace.Client;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Webhooks;
using Marketplace.Infrastructure.Webhooks;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Webhooks;

/// <summary>
/// Outgoing webhooks end to end on PostgreSQL: trade events written in the trade's transaction, sent
/// by the relay to a real HTTP receiver on loopback, signed, retried from the database (across a
/// restart), never sent twice by two relays, and an endpoint that keeps failing is disabled.
/// </summary>
public sealed class WebhookDeliveryTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Auth:AccessTokenLifetime"] = "30.00:00:00", // these tests move the clock by days
            ["Webhooks:DisableAfterConsecutiveFailures"] = "4",
            ["Webhooks:BatchSize"] = "5", // small claims, so concurrent relays share the work
            ["Webhooks:MaxConcurrency"] = "2",
        });
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _app.DisposeAsync();
    }

    private static WebhookRelay RelayOf(MarketplaceApp app) => app.Services.GetRequiredService<WebhookRelay>();

    private Task<WebhookRelayPass> RelayAsync() => RelayOf(_app).RunOnceAsync(CancellationToken.None);

    /// <summary>Relay passes until nothing due is left (a pass claims at most BatchSize).</summary>
    private async Task DrainAsync()
    {
        while ((await RelayAsync()).Claimed > 0) { }
    }

    private DateTimeOffset Now => _app.Clock.GetUtcNow();

    private async Task<OrderDto> PaidOrderAsync(TradeSetup trade)
    {
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromSeconds(1)); // the delivery log orders by time: payment after placement
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, order.Total.Amount, order.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        return order;
    }

    private static JsonElement Parse(WebhookReceiver.Received request) => JsonDocument.Parse(request.Body).RootElement;

    [Fact]
    public async Task A_paid_order_is_announced_to_the_seller_and_the_buyer_each_with_their_own_view_signed_for_their_own_secret()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var sellerHook = await trade.Seller.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderDelivered, WebhookEventTypes.OrderCreated);
        var buyerHook = await trade.Buyer.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderDelivered);

        var order = await PaidOrderAsync(trade);
        var pass = await RelayAsync();

        Assert.Equal(3, pass.Succeeded); // created (seller), delivered (seller), delivered (buyer)
        var received = _receiver.Requests.ToList();
        var delivered = received.Where(r => Parse(r).GetProperty("type").GetString() == WebhookEventTypes.OrderDelivered).ToList();
        Assert.Equal(2, delivered.Count);
        var bySeller = delivered.Single(r => WebhookSignature.Verify(r.Body, r.Signature, [sellerHook.Secret], Now));
        var byBuyer = delivered.Single(r => WebhookSignature.Verify(r.Body, r.Signature, [buyerHook.Secret], Now));
        Assert.NotSame(bySeller, byBuyer);
        Assert.False(WebhookSignature.Verify(bySeller.Body, bySeller.Signature, [buyerHook.Secret], Now)); // one secret per endpoint

        foreach (var (request, role) in new[] { (bySeller, OrderRoles.Seller), (byBuyer, OrderRoles.Buyer) })
        {
            var body = Parse(request);
            Assert.StartsWith("evt_", body.GetProperty("id").GetString());
            Assert.Equal(request.EventId, body.GetProperty("id").GetString());
            Assert.Equal("application/json; charset=utf-8", request.ContentType);
            // The data is the API's own OrderDto for that party: a receiver reuses the API models.
            var data = body.GetProperty("data").Deserialize<OrderDto>(ApiClient.Json)!;
            Assert.Equal(order.Id, data.Id);
            Assert.Equal(role, data.Role);
            Assert.Equal(OrderStatus.Delivered, data.Status);
            Assert.All(trade.Items, key => Assert.DoesNotContain(key, request.Body, StringComparison.Ordinal)); // never the goods
            Assert.DoesNotContain(trade.SellerQiwiToken, request.Body, StringComparison.Ordinal); // never a wallet token
            Assert.Equal(Now.ToUnixTimeSeconds().ToString(), request.Timestamp);
        }

        Assert.Contains(received, r => Parse(r).GetProperty("type").GetString() == WebhookEventTypes.OrderCreated);
        Assert.Equal(0, (await RelayAsync()).Claimed); // nothing left: each sent once
        var log = await trade.Seller.GetDeliveriesAsync(sellerHook.Endpoint.Id);
        Assert.Equal(2, log.TotalCount);
        Assert.All(log.Items, d => Assert.Equal(WebhookDeliveryStatus.Succeeded, d.Status));
        Assert.Equal(WebhookEventTypes.OrderDelivered, log.Items[0].EventType); // newest first
        Assert.Equal("answer 200", log.Items[0].ResponseExcerpt);
    }

    [Fact]
    public async Task A_tampered_body_a_stale_or_a_future_timestamp_fails_verification()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var hook = await trade.Seller.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderCreated);
        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await RelayAsync();
        var request = Assert.Single(_receiver.Requests);

        Assert.True(WebhookSignature.Verify(request.Body, request.Signature, [hook.Secret], Now));
        Assert.False(WebhookSignature.Verify(request.Body.Replace("\"quantity\":1", "\"quantity\":9"), request.Signature, [hook.Secret], Now));
        Assert.False(WebhookSignature.Verify(request.Body + " ", request.Signature, [hook.Secret], Now));
        Assert.False(WebhookSignature.Verify(request.Body, request.Signature, [hook.Secret], Now + TimeSpan.FromMinutes(6))); // replayed later
        Assert.False(WebhookSignature.Verify(request.Body, request.Signature, [hook.Secret], Now - TimeSpan.FromMinutes(6))); // from the future
        Assert.True(WebhookSignature.Verify(request.Body, request.Signature, [hook.Secret], TimeSpan.FromMinutes(10), Now + TimeSpan.FromMinutes(6)));
        Assert.False(WebhookSignature.Verify(request.Body, request.Signature, ["whsec_not-the-secret"], Now));
        Assert.False(WebhookSignature.Verify(request.Body, "", [hook.Secret], Now));
        // A re-signed header with a fresh timestamp but the old v1 value fails: the timestamp is signed too.
        var fresh = request.Signature.Replace($"t={request.Timestamp}", $"t={Now.ToUnixTimeSeconds() + 60}");
        Assert.False(WebhookSignature.Verify(request.Body, fresh, [hook.Secret], Now));
    }

    [Fact]
    public async Task A_receiver_that_fails_gets_the_delivery_again_after_the_backoff()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var hook = await trade.Seller.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderCreated);
        _receiver.AnswerNext(HttpStatusCode.InternalServerError);
        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);

        Assert.Equal(1, (await RelayAsync()).Failed);
        var failed = Assert.Single((await trade.Seller.GetDeliveriesAsync(hook.Endpoint.Id)).Items);
        Assert.Equal(WebhookDeliveryStatus.Pending, failed.Status);
        Assert.Equal(500, failed.LastStatusCode);
        Assert.Equal("answer 500", failed.ResponseExcerpt);
        Assert.InRange(failed.NextAttemptAt!.Value - Now, TimeSpan.FromSeconds(26), TimeSpan.FromSeconds(34)); // 30 s, with jitter
        Assert.Equal(0, (await RelayAsync()).Claimed); // not due yet

        _app.FakeClock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(1, (await RelayAsync()).Succeeded);

        var requests = _receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].EventId, requests[1].EventId); // the same event, the same delivery
        Assert.Equal(requests[0].DeliveryId, requests[1].DeliveryId);
        Assert.True(WebhookSignature.Verify(requests[1].Body, requests[1].Signature, [hook.Secret], Now));
        var delivered = Assert.Single((await trade.Seller.GetDeliveriesAsync(hook.Endpoint.Id)).Items);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, delivered.Status);
        Assert.Equal(2, delivered.Attempts);
        Assert.Null(delivered.NextAttemptAt);
        Assert.Equal(0, (await trade.Seller.GetWebhookAsync(hook.Endpoint.Id)).ConsecutiveFailures); // a success resets the run
    }

    [Fact]
    public async Task A_delivery_waiting_for_its_retry_survives_a_restart_of_the_service()
    {
        var first = _app.StartAnotherInstance();
        var trade = await TradeSetup.CreateAsync(first.CreateApiClient, _app.CreateEmulatorClient(), items: 1);
        var hook = await trade.Seller.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderCreated);
        _receiver.AnswerNext(HttpStatusCode.ServiceUnavailable);
        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        Assert.Equal(1, (await RelayOf(first).RunOnceAsync(CancellationToken.None)).Failed);
        await first.DisposeAsync(); // the process goes away with a retry pending: nothing of it was in memory only

        await using var second = _app.StartAnotherInstance();
        _app.FakeClock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await RelayOf(second).RunOnceAsync(CancellationToken.None)).Succeeded);

        var requests = _receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].DeliveryId, requests[1].DeliveryId);
        Assert.True(WebhookSignature.Verify(requests[1].Body, requests[1].Signature, [hook.Secret], Now));
    }

    [Fact]
    public async Task A_delivery_from_the_log_is_sent_again_on_request_with_the_same_event_id()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var hook = await trade.Seller.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderCreated);
        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await RelayAsync();
        var original = Assert.Single((await trade.Seller.GetDeliveriesAsync(hook.Endpoint.Id)).Items);

        var again = await trade.Seller.RedeliverAsync(hook.Endpoint.Id, original.Id);
        Assert.Equal(WebhookDeliveryStatus.Pending, again.Status);
        Assert.Equal(1, (await RelayAsync()).Succeeded);

        var requests = _receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].EventId, requests[1].EventId); // receivers deduplicate by Webhook-Id
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.NotEqual(requests[0].DeliveryId, requests[1].DeliveryId);
        Assert.Equal(again.Id.ToString(), requests[1].DeliveryId);
        Assert.Equal(2, (await trade.Seller.GetDeliveriesAsync(hook.Endpoint.Id)).TotalCount);

        var stranger = await _app.CreateApiClient().SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound,
            (await stranger.Http.PostAsync($"/api/v1/webhooks/{hook.Endpoint.Id}/deliveries/{original.Id}/redeliver", null)).StatusCode);
    }

    [Fact]
    public async Task Two_relays_working_the_same_outbox_never_send_a_delivery_twice()
    {
        await using var other = _app.StartAnotherInstance();
        var owner = await _app.CreateApiClient().SignUpAsync();
        var hooks = new List<Guid>();
        for (var i = 0; i < 4; i++) hooks.Add((await owner.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderCreated)).Endpoint.Id);
        var queued = new List<WebhookDeliveryDto>();
        for (var round = 0; round < 10; round++)
            foreach (var hook in hooks) queued.Add(await owner.PingAsync(hook));

        async Task DrainWithAsync(WebhookRelay relay)
        {
            for (var pass = 0; pass < 50; pass++)
                if ((await relay.RunOnceAsync(CancellationToken.None)).Claimed == 0 && pass > 2) return;
        }

        await Task.WhenAll(DrainWithAsync(RelayOf(_app)), DrainWithAsync(RelayOf(other)), DrainWithAsync(RelayOf(_app)));

        var receipts = _receiver.Requests.GroupBy(r => r.DeliveryId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(queued.Select(d => d.Id.ToString()).Order(), receipts.Keys.Order());
        Assert.All(receipts, r => Assert.Equal(1, r.Value));
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_is_disabled_and_says_why_and_enabling_it_sends_what_waited()
    {
        var owner = await _app.CreateApiClient().SignUpAsync();
        var hook = await owner.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderCreated);
        _receiver.DefaultAnswer = HttpStatusCode.BadGateway;
        await owner.PingAsync(hook.Endpoint.Id);
        await owner.PingAsync(hook.Endpoint.Id);

        for (var i = 0; i < 3; i++)
        {
            await RelayAsync();
            _app.FakeClock.Advance(TimeSpan.FromMinutes(3));
        }

        var endpoint = await owner.GetWebhookAsync(hook.Endpoint.Id);
        Assert.False(endpoint.Enabled); // 4 failures in a row (this test's setting)
        Assert.Contains("failed deliveries", endpoint.DisabledReason);
        Assert.Equal(4, endpoint.ConsecutiveFailures);
        var sent = _receiver.Requests.Count;
        _app.FakeClock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, (await RelayAsync()).Claimed); // a disabled endpoint gets nothing
        Assert.Equal(sent, _receiver.Requests.Count);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.Http.PostAsync($"/api/v1/webhooks/{hook.Endpoint.Id}/test", null)).StatusCode);

        _receiver.DefaultAnswer = HttpStatusCode.OK;
        var enabled = await ApiClient.ReadAsync<WebhookEndpointDto>(
            await owner.Http.PatchAsJsonAsync($"/api/v1/webhooks/{hook.Endpoint.Id}", new { enabled = true }), HttpStatusCode.OK);
        Assert.True(enabled.Enabled);
        Assert.Null(enabled.DisabledReason);
        Assert.Equal(2, (await RelayAsync()).Succeeded); // the two pings waited and go out now
    }

    [Fact]
    public async Task Disabling_an_endpoint_tells_the_owner_through_its_other_endpoints_once()
    {
        await using var healthy = await WebhookReceiver.StartAsync();
        var owner = await _app.CreateApiClient().SignUpAsync();
        var stranger = await _app.CreateApiClient().SignUpAsync();
        var failing = await owner.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderCreated);
        var watcher = await owner.CreateWebhookAsync(healthy.Url, WebhookEventTypes.WebhookEndpointDisabled);
        await stranger.CreateWebhookAsync(healthy.Url, WebhookEventTypes.WebhookEndpointDisabled);
        _receiver.DefaultAnswer = HttpStatusCode.BadGateway;
        for (var i = 0; i < 4; i++) await owner.PingAsync(failing.Endpoint.Id);

        // Two relays fail on it at the same time: it is disabled, and the owner told, once.
        await using var other = _app.StartAnotherInstance();
        await Task.WhenAll(RelayOf(_app).RunOnceAsync(CancellationToken.None), RelayOf(other).RunOnceAsync(CancellationToken.None));
        Assert.False((await owner.GetWebhookAsync(failing.Endpoint.Id)).Enabled);
        await DrainAsync();

        var told = Assert.Single(healthy.Requests);
        var body = Parse(told);
        Assert.Equal(WebhookEventTypes.WebhookEndpointDisabled, body.GetProperty("type").GetString());
        var data = body.GetProperty("data");
        Assert.Equal(failing.Endpoint.Id, data.GetProperty("id").GetGuid());
        Assert.False(data.GetProperty("enabled").GetBoolean());
        Assert.Contains("failed deliveries", data.GetProperty("disabledReason").GetString());
        Assert.DoesNotContain(failing.Secret, told.Body);
        Assert.True(WebhookSignature.Verify(told.Body, told.Signature, [watcher.Secret], Now));
        Assert.DoesNotContain(_receiver.Requests, r => Parse(r).GetProperty("type").GetString() == WebhookEventTypes.WebhookEndpointDisabled);
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_for_a_day_then_only_the_new_one()
    {
        var owner = await _app.CreateApiClient().SignUpAsync();
        var created = await owner.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderCreated);
        var rotated = await owner.RotateSecretAsync(created.Endpoint.Id);
        Assert.NotEqual(created.Secret, rotated.Secret);
        Assert.Equal(Now + TimeSpan.FromHours(24), rotated.Endpoint.PreviousSecretExpiresAt!.Value, TimeSpan.FromMilliseconds(1));

        await owner.PingAsync(created.Endpoint.Id);
        await RelayAsync();
        var during = _receiver.Requests.Last();
        Assert.Equal(2, during.Signature.Split(',').Count(p => p.StartsWith("v1=", StringComparison.Ordinal)));
        Assert.True(WebhookSignature.Verify(during.Body, during.Signature, [created.Secret], Now)); // a receiver not yet updated
        Assert.True(WebhookSignature.Verify(during.Body, during.Signature, [rotated.Secret], Now)); // one already updated

        _app.FakeClock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await owner.PingAsync(created.Endpoint.Id);
        await RelayAsync();
        var after = _receiver.Requests.Last();
        Assert.Single(after.Signature.Split(","), p => p.StartsWith("v1=", StringComparison.Ordinal));
        Assert.False(WebhookSignature.Verify(after.Body, after.Signature, [created.Secret], Now));
        Assert.True(WebhookSignature.Verify(after.Body, after.Signature, [rotated.Secret], Now));
        Assert.Null((await owner.GetWebhookAsync(created.Endpoint.Id)).PreviousSecretExpiresAt);
    }

    [Fact]
    public async Task A_sale_that_brings_stock_to_the_threshold_tells_the_seller_once()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 0);
        var listing = await ApiClient.ReadAsync<Marketplace.Application.Listings.ListingDto>(await trade.Seller.Http.PostAsJsonAsync("/api/v1/listings", new
        {
            title = "Game key", description = "Activation key", category = "games", price = new { amount = 10m, currency = "RUB" },
            walletId = trade.SellerWallet.Id, lowStockThreshold = 1,
        }), HttpStatusCode.Created);
        Assert.Equal(1, listing.LowStockThreshold);
        await trade.Seller.AddItemsAsync(listing.Id, "KEY-A", "KEY-B", "KEY-C");
        var hook = await trade.Seller.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.ListingStockLow);

        await trade.Buyer.PlaceOrderAsync(listing.Id); // 3 -> 2: above the threshold
        await RelayAsync();
        Assert.Empty(_receiver.Requests);
        await trade.Buyer.PlaceOrderAsync(listing.Id); // 2 -> 1: crossed
        await trade.Buyer.PlaceOrderAsync(listing.Id); // 1 -> 0: already below, no repeat
        await RelayAsync();

        var request = Assert.Single(_receiver.Requests);
        var body = Parse(request);
        Assert.Equal(WebhookEventTypes.ListingStockLow, body.GetProperty("type").GetString());
        Assert.Equal(listing.Id, body.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Equal(1, body.GetProperty("data").GetProperty("stock").GetInt32());
        Assert.True(WebhookSignature.Verify(request.Body, request.Signature, [hook.Secret], Now));
    }

    [Fact]
    public async Task Dispute_events_reach_both_parties()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var types = new[] { WebhookEventTypes.DisputeOpened, WebhookEventTypes.DisputeUpdated, WebhookEventTypes.DisputeResolved };
        var sellerHook = await trade.Seller.CreateWebhookAsync(_receiver.Url, types);
        var buyerHook = await trade.Buyer.CreateWebhookAsync(_receiver.Url, types);
        var order = await PaidOrderAsync(trade);

        var dispute = await trade.Buyer.OpenDisputeAsync(order.Id);
        await trade.Seller.DisputeActionAsync(dispute.Id, "messages", new { text = "Try the key again, please" });
        await trade.Buyer.DisputeActionAsync(dispute.Id, "withdraw");
        await DrainAsync();

        string[] TypesFor(string secret) => _receiver.Requests.Where(r => WebhookSignature.Verify(r.Body, r.Signature, [secret], Now))
            .Select(r => Parse(r).GetProperty("type").GetString()!).ToArray();
        // Order between events is not guaranteed (docs/webhooks.md): compare as sets.
        Assert.Equal(types.Order(), TypesFor(sellerHook.Secret).Order());
        Assert.Equal(types.Order(), TypesFor(buyerHook.Secret).Order());
        Assert.All(_receiver.Requests, r => Assert.Equal(dispute.Id, Parse(r).GetProperty("data").GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task A_redirect_is_a_failure_not_followed_and_old_events_are_purged_with_their_log()
    {
        var owner = await _app.CreateApiClient().SignUpAsync();
        var hook = await owner.CreateWebhookAsync(_receiver.Url, WebhookEventTypes.OrderCreated);
        _receiver.AnswerNext(HttpStatusCode.Redirect);
        await owner.PingAsync(hook.Endpoint.Id);
        await RelayAsync();

        var redirected = Assert.Single((await owner.GetDeliveriesAsync(hook.Endpoint.Id)).Items);
        Assert.Equal(WebhookDeliveryStatus.Pending, redirected.Status);
        Assert.Equal(302, redirected.LastStatusCode);
        Assert.Contains("redirects are not followed", redirected.LastError);
        Assert.Single(_receiver.Requests); // the redirect was not followed anywhere

        _app.FakeClock.Advance(TimeSpan.FromMinutes(1));
        await RelayAsync(); // delivered on the retry
        _app.FakeClock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await RelayOf(_app).PurgeAsync(CancellationToken.None)); // kept 30 days
        await owner.LogInAsync(owner.Credentials!.Value.Email, owner.Credentials!.Value.Password); // the session did not last a month
        Assert.Single((await owner.GetDeliveriesAsync(hook.Endpoint.Id)).Items);
        _app.FakeClock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        Assert.True(await RelayOf(_app).PurgeAsync(CancellationToken.None) >= 1);
        await owner.LogInAsync(owner.Credentials!.Value.Email, owner.Credentials!.Value.Password);
        Assert.Empty((await owner.GetDeliveriesAsync(hook.Endpoint.Id)).Items);
    }
}
