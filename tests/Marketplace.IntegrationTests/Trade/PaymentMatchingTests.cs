using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
/// The matcher's rules, one pass at a time (RunOnceAsync) on a fake clock shared with the emulator:
/// what pays an order, what never does, and when unpaid orders give their items back.
/// </summary>
public sealed class PaymentMatchingTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_transfer_seen_on_every_pass_is_recorded_once()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);

        var first = await _app.Watcher.RunOnceAsync(CancellationToken.None);
        var second = await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, first.Accepted);
        Assert.Equal(0, second.Accepted + second.Rejected);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        Assert.Single(await PaymentsForAsync(order.Id));
    }

    [Fact]
    public async Task Two_matchers_racing_on_one_wallet_record_the_transfer_once()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);

        // Bypass the watcher's own serialisation: two service instances would do exactly this.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = _app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReadWalletCommand(trade.SellerWallet.Id));
        }));

        Assert.Equal(1, results.Sum(r => r.Recorded.Counted));
        var payment = Assert.Single(await PaymentsForAsync(order.Id));
        Assert.Equal(PaymentOutcome.Accepted, payment.Outcome);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task One_transfer_cannot_pay_two_orders_even_if_both_comments_are_in_it()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var first = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var second = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 300.00m, first.Payment.Comment + " " + second.Payment.Comment);

        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        // A comment naming two orders pays neither (it waits in the seller's inbox as Ambiguous).
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(first.Id)).Status);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(second.Id)).Status);
    }

    [Fact]
    public async Task An_underpayment_releases_nothing_and_keeps_the_items_reserved_for_a_top_up()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, price: 150.00m);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 149.99m, order.Payment.Comment);

        var pass = await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Accepted); // counted toward the total
        var seen = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.PartiallyPaid, seen.Status);
        Assert.Equal(149.99m, seen.Paid.Amount);
        Assert.Equal(0, seen.ItemCount);
        Assert.Equal(PaymentOutcome.Partial, Assert.Single(await PaymentsForAsync(order.Id)).Outcome);
        Assert.Equal(1, await ItemCountAsync(trade.Listing.Id, ListingItemStatus.Reserved));
    }

    [Fact]
    public async Task A_transfer_in_another_currency_releases_nothing()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, order.Payment.Comment, currency: 840);

        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal(PaymentOutcome.WrongCurrency, Assert.Single(await PaymentsForAsync(order.Id)).Outcome);
    }

    [Fact]
    public async Task A_transfer_with_an_unknown_comment_waits_in_the_sellers_inbox()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, "NOT-OUR-CODE");
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, comment: null);

        var pass = await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, pass.Accepted);
        Assert.Equal(2, pass.Rejected);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        Assert.Empty(await PaymentsForAsync(order.Id));
        Assert.All((await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id, inbox: true)).Items, t => Assert.Equal(PaymentOutcome.Unmatched, t.Outcome));
    }

    [Theory]
    [InlineData("WAITING")]
    [InlineData("ERROR")]
    public async Task A_transfer_that_is_not_successful_releases_nothing(string status)
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, order.Payment.Comment, status);

        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        // A transfer in progress holds the order (no expiry); a failed one moved no money.
        Assert.Equal(status == "WAITING" ? OrderStatus.PaymentProcessing : OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        Assert.Empty(await PaymentsForAsync(order.Id));
    }

    [Fact]
    public async Task A_pending_transfer_that_later_succeeds_pays_the_order_and_holds_expiry_meanwhile()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, paymentWindowMinutes: 10);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromMinutes(5));
        var txnId = await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, order.Payment.Comment, "WAITING");

        _app.FakeClock.Advance(TimeSpan.FromMinutes(30)); // far past deadline + grace
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.PaymentProcessing, (await trade.Buyer.GetOrderAsync(order.Id)).Status);

        await trade.Qiwi.SetStatusAsync(txnId, "SUCCESS");
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task An_unpaid_order_expires_after_its_window_and_its_items_return_to_stock()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2, paymentWindowMinutes: 15);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id, quantity: 2);
        Assert.Equal(0, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);

        _app.FakeClock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30)); // past the deadline, inside the grace
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);

        _app.FakeClock.Advance(TimeSpan.FromMinutes(3));
        var pass = await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Expired);
        var expired = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Expired, expired.Status);
        Assert.NotNull(expired.ExpiredAt);
        Assert.Equal(2, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
        Assert.Equal(2, await ItemCountAsync(trade.Listing.Id, ListingItemStatus.Available));

        // The returned items can be bought again.
        var again = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id, quantity: 2);
        Assert.Equal(OrderStatus.AwaitingPayment, again.Status);
    }

    [Fact]
    public async Task A_payment_made_in_time_while_the_matcher_was_down_is_still_honoured()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, paymentWindowMinutes: 10);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromMinutes(9));
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);

        // No pass ran for an hour (service down); the first pass after restart must match, not expire.
        _app.FakeClock.Advance(TimeSpan.FromHours(1));
        var pass = await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Accepted);
        Assert.Equal(0, pass.Expired);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task A_payment_after_the_deadline_but_before_expiry_delivers_and_is_flagged_late()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, paymentWindowMinutes: 10);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromMinutes(11));
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);

        _app.FakeClock.Advance(TimeSpan.FromMinutes(5));
        var pass = await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Accepted);
        Assert.Equal(0, pass.Expired);
        var seen = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, seen.Status);
        Assert.True(seen.PaidLate);
        Assert.Equal(PaymentOutcome.Late, Assert.Single(await PaymentsForAsync(order.Id)).Outcome);
    }

    [Fact]
    public async Task A_second_payment_for_a_delivered_order_is_recorded_but_pays_nothing_more()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);

        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        var payments = await PaymentsForAsync(order.Id);
        Assert.Equal(2, payments.Count);
        Assert.Single(payments, p => p.Outcome == PaymentOutcome.Accepted);
        Assert.Single(payments, p => p.Outcome == PaymentOutcome.Duplicate);
        Assert.Single(await trade.Buyer.GetItemsAsync(order.Id));
        Assert.Equal(1, await ItemCountAsync(trade.Listing.Id, ListingItemStatus.Available));
    }

    [Fact]
    public async Task A_transfer_that_shows_up_in_history_late_is_still_matched()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, paymentWindowMinutes: 10);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        (await trade.Qiwi.Http.PutAsJsonAsync("admin/v1/faults", new { visibilityDelay = "00:03:00" })).EnsureSuccessStatusCode();
        _app.FakeClock.Advance(TimeSpan.FromMinutes(9));
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);

        _app.FakeClock.Advance(TimeSpan.FromMinutes(1));
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);

        _app.FakeClock.Advance(TimeSpan.FromMinutes(2)); // visible now, still inside the expiry grace
        var pass = await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Accepted);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task A_wallet_whose_token_was_revoked_stops_being_read_and_keeps_its_orders()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, paymentWindowMinutes: 10);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.IssueTokenAsync(trade.SellerPhone); // revokes the token the marketplace holds

        _app.FakeClock.Advance(TimeSpan.FromMinutes(30));
        var pass = await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.FailedWallets);
        Assert.Equal(0, pass.Expired); // unreadable history: the buyer may have paid, so nothing expires
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        var wallets = await trade.Seller.Http.GetFromJsonAsync<JsonElement>("/api/v1/wallets", ApiClient.Json);
        Assert.Equal("NeedsAttention", wallets[0].GetProperty("status").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Conflict, (await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1)).StatusCode);
    }

    private async Task<List<IncomingPayment>> PaymentsForAsync(Guid orderId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().IncomingPayments.AsNoTracking()
            .Where(p => p.OrderId == orderId).ToListAsync();
    }

    private async Task<int> ItemCountAsync(Guid listingId, ListingItemStatus status)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().ListingItems
            .CountAsync(i => i.ListingId == listingId && i.Status == status);
    }
}
