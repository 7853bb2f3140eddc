using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Orders.ExpireOverdueOrders;
using Marketplace.Application.Payments.Matching;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// The buyer's cancellation: items back on sale at once, only the buyer may do it, it never wins
/// together with delivery or expiry, and a transfer the buyer made before cancelling is not lost.
/// </summary>
public sealed class OrderCancellationTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2); // PaymentWatcher:ExpiryGrace default

    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Auth:AccessTokenLifetime"] = "7.00:00:00", // these tests move the clock past the 24 h monitoring window
        });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_buyer_cancels_an_unpaid_order_and_its_items_are_back_on_sale_at_once()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id, quantity: 2);
        Assert.Equal(0, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);

        var cancelled = await trade.Buyer.CancelOrderAsync(order.Id);

        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(_app.Clock.GetUtcNow(), cancelled.CancelledAt);
        Assert.Equal(HttpStatusCode.Conflict, (await trade.Buyer.GetItemsRawAsync(order.Id)).StatusCode); // nothing to reveal
        Assert.Equal(OrderStatus.Cancelled, (await trade.Seller.GetOrderAsync(order.Id)).Status);
        Assert.Equal(2, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            Assert.Equal(2, await db.ListingItems.CountAsync(i => i.ListingId == trade.Listing.Id && i.Status == ListingItemStatus.Available && i.OrderId == null));
            var history = await db.OrderHistory.AsNoTracking().Where(c => c.OrderId == order.Id).ToListAsync();
            Assert.Equal(2, history.Count);
            var change = Assert.Single(history, c => c.To == OrderStatus.Cancelled);
            Assert.Equal(OrderStatus.AwaitingPayment, change.From);
            Assert.True((cancelled.CancelledAt!.Value - change.At).Duration() < TimeSpan.FromMilliseconds(1)); // PostgreSQL keeps microseconds
        }

        // Another buyer can take the returned items immediately.
        var other = await _app.CreateApiClient().SignUpAsync();
        Assert.Equal(2, (await other.PlaceOrderAsync(trade.Listing.Id, quantity: 2)).Quantity);
    }

    [Fact]
    public async Task Only_the_buyer_may_cancel_everyone_else_gets_404_and_nothing_changes()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var stranger = await _app.CreateApiClient().SignUpAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().PostAsync($"/api/v1/orders/{order.Id}/cancel", null)).StatusCode);
        await AssertNotFoundAsync(await stranger.CancelOrderRawAsync(order.Id));
        await AssertNotFoundAsync(await trade.Seller.CancelOrderRawAsync(order.Id));
        await AssertNotFoundAsync(await trade.Buyer.CancelOrderRawAsync(Guid.NewGuid()));

        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal(0, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task Delivered_expired_or_already_cancelled_orders_are_not_cancellable()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 3, paymentWindowMinutes: 10);
        var delivered = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, delivered.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        var cancelledTwice = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Buyer.CancelOrderAsync(cancelledTwice.Id);
        var other = await _app.CreateApiClient().SignUpAsync();
        var expired = await other.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromMinutes(10) + Grace + TimeSpan.FromSeconds(1));
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.Expired, (await other.GetOrderAsync(expired.Id)).Status);
        var stock = (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock;

        await InventoryAbuseTests.AssertProblemAsync(await trade.Buyer.CancelOrderRawAsync(delivered.Id), HttpStatusCode.Conflict, "order.not_cancellable");
        await InventoryAbuseTests.AssertProblemAsync(await trade.Buyer.CancelOrderRawAsync(cancelledTwice.Id), HttpStatusCode.Conflict, "order.not_cancellable");
        await InventoryAbuseTests.AssertProblemAsync(await other.CancelOrderRawAsync(expired.Id), HttpStatusCode.Conflict, "order.not_cancellable");

        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(delivered.Id)).Status);
        Assert.Equal(stock, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
        await AssertStockConsistentAsync(trade.Listing.Id);
    }

    [Fact]
    public async Task A_transfer_made_before_cancelling_is_not_lost_the_seller_owes_a_refund()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        // The wallet shows the transfer only later (as QIWI sometimes did), so the read before cancelling misses it.
        (await trade.Qiwi.Http.PutAsJsonAsync("admin/v1/faults", new { visibilityDelay = "00:10:00" })).EnsureSuccessStatusCode();
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        _app.FakeClock.Advance(TimeSpan.FromSeconds(5));
        await trade.Buyer.CancelOrderAsync(order.Id);
        (await trade.Qiwi.Http.DeleteAsync("admin/v1/faults")).EnsureSuccessStatusCode();

        // No order awaits payment on this wallet any more; the cancelled order keeps it watched.
        Assert.Contains(trade.SellerWallet.Id, await WalletsToWatchAsync());
        var pass = await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Accepted); // counted, toward a refund
        var payment = Assert.Single(await PaymentsForAsync(order.Id));
        Assert.Equal(PaymentOutcome.OrderCancelled, payment.Outcome);
        Assert.Equal(150.00m, payment.Amount);
        var seen = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.RefundDue, seen.Status);
        Assert.Equal(150.00m, seen.Paid.Amount);
        Assert.Equal(0, seen.ItemCount);
        Assert.Equal(1, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);

        // Once the monitoring window is over, the wallet is left alone.
        _app.FakeClock.Advance(TimeSpan.FromHours(25));
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.DoesNotContain(trade.SellerWallet.Id, await WalletsToWatchAsync());
        Assert.Single(await PaymentsForAsync(order.Id));
    }

    [Fact]
    public async Task A_buyer_who_already_paid_gets_the_goods_instead_of_a_cancellation()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);

        var cancel = await trade.Buyer.CancelOrderRawAsync(order.Id);

        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("order.not_cancellable", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var delivered = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, delivered.Status);
        Assert.Single(await trade.Buyer.GetItemsAsync(order.Id));
        Assert.Equal(PaymentOutcome.Accepted, Assert.Single(await PaymentsForAsync(order.Id)).Outcome);
        Assert.Equal(1, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task An_order_with_a_transfer_in_progress_cannot_be_cancelled_and_is_delivered_when_it_succeeds()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var txnId = await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, order.Payment.Comment, "WAITING");
        _app.FakeClock.Advance(TimeSpan.FromSeconds(5));

        // The cancel reads the wallet first: the buyer's money is on its way, so the order is held, not cancelled.
        await InventoryAbuseTests.AssertProblemAsync(await trade.Buyer.CancelOrderRawAsync(order.Id), HttpStatusCode.Conflict, "order.not_cancellable");
        Assert.Equal(OrderStatus.PaymentProcessing, (await trade.Buyer.GetOrderAsync(order.Id)).Status);

        _app.FakeClock.Advance(TimeSpan.FromMinutes(30)); // far past the deadline: the pending transfer still holds the order
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.PaymentProcessing, (await trade.Buyer.GetOrderAsync(order.Id)).Status);

        await trade.Qiwi.SetStatusAsync(txnId, "SUCCESS");
        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(PaymentOutcome.Accepted, Assert.Single(await PaymentsForAsync(order.Id)).Outcome);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Cancel_racing_the_matcher_for_a_paid_order_has_exactly_one_winner()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 6);
        for (var round = 0; round < 6; round++)
        {
            var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
            await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);

            var cancel = trade.Buyer.CancelOrderRawAsync(order.Id);
            var match = Task.Run(async () =>
            {
                await using var scope = _app.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReadWalletCommand(trade.SellerWallet.Id));
            });
            var cancelResponse = await cancel;
            await match;
            await _app.Watcher.RunOnceAsync(CancellationToken.None); // whatever the race left, a later pass settles it

            var status = (await trade.Buyer.GetOrderAsync(order.Id)).Status;
            var payment = Assert.Single(await PaymentsForAsync(order.Id));
            if (status == OrderStatus.Delivered)
            {
                Assert.Equal(HttpStatusCode.Conflict, cancelResponse.StatusCode);
                Assert.Equal(PaymentOutcome.Accepted, payment.Outcome);
                Assert.Single(await trade.Buyer.GetItemsAsync(order.Id));
            }
            else
            {
                // Cancelled first; the transfer then makes it a refund the seller owes.
                Assert.Equal(OrderStatus.RefundDue, status);
                Assert.Equal(HttpStatusCode.OK, cancelResponse.StatusCode);
                Assert.Equal(PaymentOutcome.OrderCancelled, payment.Outcome);
            }

            await AssertStockConsistentAsync(trade.Listing.Id);
        }
    }

    [Fact]
    public async Task Cancel_racing_expiry_has_exactly_one_winner_and_returns_the_items_once()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 4, paymentWindowMinutes: 5);
        for (var round = 0; round < 4; round++)
        {
            var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
            _app.FakeClock.Advance(TimeSpan.FromMinutes(5) + Grace + TimeSpan.FromSeconds(1));
            await SendAsync(new ReadWalletCommand(trade.SellerWallet.Id)); // history read past the deadline: expiry may run

            var cancel = trade.Buyer.CancelOrderRawAsync(order.Id);
            var expire = Task.Run(() => SendAsync(new ExpireOverdueOrdersCommand()));
            var cancelResponse = await cancel;
            var expired = await expire;

            var status = (await trade.Buyer.GetOrderAsync(order.Id)).Status;
            if (status == OrderStatus.Expired)
            {
                Assert.Equal(1, expired);
                Assert.Equal(HttpStatusCode.Conflict, cancelResponse.StatusCode);
            }
            else
            {
                Assert.Equal(OrderStatus.Cancelled, status);
                Assert.Equal(0, expired);
                Assert.Equal(HttpStatusCode.OK, cancelResponse.StatusCode);
            }

            Assert.Equal(4, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
            await AssertStockConsistentAsync(trade.Listing.Id);
        }
    }

    private static async Task AssertNotFoundAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The stock counter equals the available items, and every reserved item belongs to an unpaid order.</summary>
    private async Task AssertStockConsistentAsync(Guid listingId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var listing = await db.Listings.AsNoTracking().SingleAsync(l => l.Id == listingId);
        var items = await db.ListingItems.AsNoTracking().Where(i => i.ListingId == listingId).ToListAsync();
        Assert.Equal(listing.AvailableCount, items.Count(i => i.Status == ListingItemStatus.Available));
        Assert.All(items.Where(i => i.Status == ListingItemStatus.Available), i => Assert.Null(i.OrderId));
        var reservedFor = items.Where(i => i.Status == ListingItemStatus.Reserved).Select(i => i.OrderId!.Value).Distinct().ToList();
        Assert.All(await db.Orders.AsNoTracking().Where(o => reservedFor.Contains(o.Id)).ToListAsync(),
            o => Assert.True(o.Status.HoldsStock(), $"order {o.Id} is {o.Status} but holds items"));
    }

    private async Task<T> SendAsync<T>(ICommand<T> command)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    private async Task<IReadOnlyList<Guid>> WalletsToWatchAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ListWalletsToWatchQuery())).Select(w => w.WalletId).ToList();
    }

    private async Task<List<IncomingPayment>> PaymentsForAsync(Guid orderId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().IncomingPayments.AsNoTracking()
            .Where(p => p.OrderId == orderId).ToListAsync();
    }
}
