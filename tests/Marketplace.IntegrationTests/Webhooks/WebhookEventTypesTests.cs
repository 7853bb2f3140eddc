using System.Text.Json;
using Marketplace.Application.Orders;
using Marketplace.Application.Webhooks;
using Marketplace.Client;
using Marketplace.Domain.Orders;
using Marketplace.Infrastructure.Webhooks;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Webhooks;

/// <summary>
/// Every order and wallet event type over real HTTP: the seller and the buyer each subscribe to everything on a
/// receiver of their own; each way an order can go (pending then paid, partial then short at the deadline, expired,
/// paid late, cancelled, held then unverifiable) sends each party its event once, with the order as that party
/// sees it, signed with that party's secret.
/// </summary>
public sealed class WebhookEventTypesTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;
    private EmulatorHost _emulator = null!;
    private WebhookReceiver _sellerReceiver = null!;
    private WebhookReceiver _buyerReceiver = null!;

    public async ValueTask InitializeAsync()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        _emulator = await EmulatorHost.StartAsync(clock);
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["PaymentWatcher:AttentionHoldLimit"] = "02:00:00",
            ["Auth:AccessTokenLifetime"] = "1.00:00:00",
        }, sharedEmulator: (_emulator, clock));
        _sellerReceiver = await WebhookReceiver.StartAsync();
        _buyerReceiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _buyerReceiver.DisposeAsync();
        await _sellerReceiver.DisposeAsync();
        await _app.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    private sealed record Subscribed(string SellerSecret, string BuyerSecret);

    private async Task<Subscribed> SubscribeEverythingAsync(TradeSetup trade)
    {
        var all = WebhookEventTypes.All.ToArray();
        var seller = await trade.Seller.CreateWebhookAsync(_sellerReceiver.Url, all);
        var buyer = await trade.Buyer.CreateWebhookAsync(_buyerReceiver.Url, all);
        return new Subscribed(seller.Secret, buyer.Secret);
    }

    private async Task PassAsync()
    {
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        var relay = _app.Services.GetRequiredService<WebhookRelay>();
        while ((await relay.RunOnceAsync(CancellationToken.None)).Claimed > 0) { }
    }

    /// <summary>The (type, status) pairs one party received for one order, each request's signature checked against the party's secret.</summary>
    private List<(string Type, string Status)> EventsFor(WebhookReceiver receiver, string secret, string role, Guid orderId)
    {
        var found = new List<(string, string)>();
        foreach (var request in receiver.Requests)
        {
            var body = JsonDocument.Parse(request.Body).RootElement;
            var data = body.GetProperty("data");
            if (!data.TryGetProperty("role", out var dataRole) || data.GetProperty("id").GetGuid() != orderId) continue;
            // The clock moves by hours between events here: checked at the time each was sent (freshness has its own tests).
            var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Timestamp, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(WebhookSignature.Verify(request.Body, request.Signature, [secret], sentAt), $"{role}: signature of {request.EventId}");
            Assert.Equal(role, dataRole.GetString(), ignoreCase: true);
            Assert.DoesNotContain("items", data.EnumerateObject().Select(p => p.Name));
            found.Add((body.GetProperty("type").GetString()!, data.GetProperty("status").GetString()!));
        }

        return found;
    }

    private void AssertBothGot(Subscribed secrets, Guid orderId, params (string Type, OrderStatus Status)[] expected)
    {
        var want = expected.Select(e => (e.Type, e.Status.ToString())).Order().ToList();
        Assert.Equal(want, EventsFor(_sellerReceiver, secrets.SellerSecret, "seller", orderId).Order().ToList());
        Assert.Equal(want, EventsFor(_buyerReceiver, secrets.BuyerSecret, "buyer", orderId).Order().ToList());
    }

    [Fact]
    public async Task Each_way_an_order_goes_is_announced_to_both_parties_once()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 5, paymentWindowMinutes: 10);
        var secrets = await SubscribeEverythingAsync(trade);
        const decimal price = 150.00m;

        // Pending, then final: payment_processing, then delivered.
        var pending = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var txn = await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, price, pending.Payment.Comment, "WAITING");
        await PassAsync();
        await trade.Qiwi.SetStatusAsync(txn, "SUCCESS");
        await PassAsync();

        // Part of the total, then the deadline passes short: partially_paid, then refund_due.
        var partial = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 100.00m, partial.Payment.Comment);
        await PassAsync();

        // Never paid: expired. Paid after the deadline, inside the monitoring window: expired, then delivered and paid_late.
        var unpaid = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var late = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromMinutes(15)); // past the 10-minute window and the matcher's settling margin
        await PassAsync();
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, price, late.Payment.Comment);
        await PassAsync();

        // Cancelled by the buyer.
        var cancelled = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Buyer.CancelOrderAsync(cancelled.Id);
        await PassAsync();

        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(pending.Id)).Status);
        AssertBothGot(secrets, pending.Id,
            (WebhookEventTypes.OrderCreated, OrderStatus.AwaitingPayment),
            (WebhookEventTypes.OrderPaymentProcessing, OrderStatus.PaymentProcessing),
            (WebhookEventTypes.OrderDelivered, OrderStatus.Delivered));
        Assert.Equal(OrderStatus.RefundDue, (await trade.Buyer.GetOrderAsync(partial.Id)).Status);
        AssertBothGot(secrets, partial.Id,
            (WebhookEventTypes.OrderCreated, OrderStatus.AwaitingPayment),
            (WebhookEventTypes.OrderPartiallyPaid, OrderStatus.PartiallyPaid),
            (WebhookEventTypes.OrderRefundDue, OrderStatus.RefundDue));
        AssertBothGot(secrets, unpaid.Id,
            (WebhookEventTypes.OrderCreated, OrderStatus.AwaitingPayment),
            (WebhookEventTypes.OrderExpired, OrderStatus.Expired));
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(late.Id)).Status);
        AssertBothGot(secrets, late.Id,
            (WebhookEventTypes.OrderCreated, OrderStatus.AwaitingPayment),
            (WebhookEventTypes.OrderExpired, OrderStatus.Expired),
            (WebhookEventTypes.OrderDelivered, OrderStatus.Delivered),
            (WebhookEventTypes.OrderPaidLate, OrderStatus.Delivered));
        AssertBothGot(secrets, cancelled.Id,
            (WebhookEventTypes.OrderCreated, OrderStatus.AwaitingPayment),
            (WebhookEventTypes.OrderCancelled, OrderStatus.Cancelled));
    }

    [Fact]
    public async Task A_refused_token_tells_the_seller_and_an_order_held_too_long_becomes_unverifiable_for_both()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, paymentWindowMinutes: 10);
        var secrets = await SubscribeEverythingAsync(trade);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        (await trade.Qiwi.Http.DeleteAsync($"admin/v1/tokens/{trade.SellerQiwiToken}")).EnsureSuccessStatusCode();

        await PassAsync();

        var walletEvents = _sellerReceiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Where(b => b.GetProperty("type").GetString() == WebhookEventTypes.WalletNeedsAttention).ToList();
        var wallet = Assert.Single(walletEvents).GetProperty("data");
        Assert.Equal(trade.SellerWallet.Id, wallet.GetProperty("id").GetGuid());
        Assert.Equal("NeedsAttention", wallet.GetProperty("status").GetString());
        Assert.DoesNotContain(trade.SellerQiwiToken, _sellerReceiver.Requests.Single(r => r.Body.Contains(WebhookEventTypes.WalletNeedsAttention)).Body);
        Assert.DoesNotContain(_buyerReceiver.Requests, r => r.Body.Contains(WebhookEventTypes.WalletNeedsAttention));

        _app.FakeClock.Advance(TimeSpan.FromHours(3)); // past the hold limit (2 h here)
        await PassAsync();

        AssertBothGot(secrets, order.Id,
            (WebhookEventTypes.OrderCreated, OrderStatus.AwaitingPayment),
            (WebhookEventTypes.OrderUnverifiable, OrderStatus.Unverifiable));
    }
}
