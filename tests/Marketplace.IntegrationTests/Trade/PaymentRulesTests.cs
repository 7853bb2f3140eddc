using System.Net;
using Marketplace.Application.Orders;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// Every payment that is not exact ends somewhere explicit that buyer and seller can see: split,
/// overpaid, paid twice, mistyped, ambiguous, wrong currency, late, partly paid at the deadline.
/// One matcher pass at a time, on a fake clock shared with the emulator.
/// </summary>
public sealed class PaymentRulesTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Auth:AccessTokenLifetime"] = "7.00:00:00", // these tests move the clock past the 24 h monitoring window
        });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Task PassAsync() => _app.Watcher.RunOnceAsync(CancellationToken.None);

    [Fact]
    public async Task Two_transfers_with_the_same_comment_add_up_and_then_deliver()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, price: 150.00m);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);

        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 100.00m, order.Payment.Comment);
        await PassAsync();
        var partly = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.PartiallyPaid, partly.Status);
        Assert.Equal(100.00m, partly.Paid.Amount);
        Assert.Equal(0, partly.ItemCount);
        Assert.Contains(partly.History!, h => h.Rule == "payment.partial" && h.TransactionId is not null);

        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 50.00m, order.Payment.Comment);
        await PassAsync();
        var paid = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, paid.Status);
        Assert.Equal(150.00m, paid.Paid.Amount);
        Assert.Equal(0m, paid.Surplus.Amount);
        Assert.Equal([trade.Items[0]], await trade.Buyer.GetItemsAsync(order.Id));
        Assert.Equal([PaymentOutcome.Partial, PaymentOutcome.Accepted], paid.Payments!.Select(p => p.Outcome));
    }

    [Fact]
    public async Task An_overpaid_order_is_delivered_and_the_surplus_is_shown_to_both_sides()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, price: 150.00m);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 200.00m, order.Payment.Comment);

        await PassAsync();

        var buyerView = await trade.Buyer.GetOrderAsync(order.Id);
        var sellerView = await trade.Seller.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, buyerView.Status);
        Assert.Equal(50.00m, buyerView.Surplus.Amount);
        Assert.Equal(50.00m, sellerView.Surplus.Amount);
        Assert.Equal(1, sellerView.ItemCount);
        Assert.Equal(HttpStatusCode.NotFound, (await trade.Seller.GetItemsRawAsync(order.Id)).StatusCode); // the seller never sees the goods
    }

    [Fact]
    public async Task Paying_twice_delivers_once_and_puts_the_second_transfer_in_the_sellers_inbox()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2, price: 150.00m);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        await PassAsync();
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        await PassAsync();

        var seen = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, seen.Status);
        Assert.Single(await trade.Buyer.GetItemsAsync(order.Id));
        Assert.Equal(150.00m, seen.Surplus.Amount);
        var inbox = await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id, inbox: true);
        var duplicate = Assert.Single(inbox.Items);
        Assert.Equal(PaymentOutcome.Duplicate, duplicate.Outcome);
        Assert.Equal(order.Id, duplicate.OrderId);
        Assert.Equal(1, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock); // the second item was not touched
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("  order {0}, thanks!  ")]
    [InlineData("lower:{1}")]
    [InlineData("cyrillic:{2}")]
    public async Task A_comment_typed_by_hand_still_pays(string template)
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var code = order.Payment.Comment;
        var cyrillic = new string(code.Select(c => c switch { 'A' => 'А', 'B' => 'В', 'E' => 'Е', 'K' => 'К', 'M' => 'М', 'H' => 'Н', 'P' => 'Р', 'C' => 'С', 'T' => 'Т', 'X' => 'Х', _ => c }).ToArray());
        var comment = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, code, code.ToLowerInvariant(), cyrillic);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, comment);

        await PassAsync();

        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task A_comment_naming_two_orders_pays_neither_until_the_seller_attaches_it()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var first = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var second = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, first.Payment.Comment + " " + second.Payment.Comment);

        await PassAsync();

        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(first.Id)).Status);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(second.Id)).Status);
        var ambiguous = Assert.Single((await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id, inbox: true)).Items);
        Assert.Equal(PaymentOutcome.Ambiguous, ambiguous.Outcome);
        Assert.Null(ambiguous.OrderId);

        // The buyer cannot attach; only the wallet's owner can.
        Assert.Equal(HttpStatusCode.NotFound, (await trade.Buyer.AttachTransferRawAsync(trade.SellerWallet.Id, ambiguous.Id, first.Id)).StatusCode);
        var attached = await ApiClient.ReadAsync<Marketplace.Application.Wallets.Transfers.WalletTransferDto>(
            await trade.Seller.AttachTransferRawAsync(trade.SellerWallet.Id, ambiguous.Id, first.Id), HttpStatusCode.OK);
        Assert.Equal(PaymentOutcome.Accepted, attached.Outcome);
        Assert.Equal(PaymentSource.SellerAttached, attached.Source);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(first.Id)).Status);
        Assert.Empty((await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id, inbox: true)).Items);

        // Attaching it again (to the other order) is refused: it already counts.
        Assert.Equal(HttpStatusCode.Conflict, (await trade.Seller.AttachTransferRawAsync(trade.SellerWallet.Id, ambiguous.Id, second.Id)).StatusCode);
    }

    [Fact]
    public async Task A_mistyped_comment_lands_in_the_inbox_and_the_buyer_can_claim_it_with_proof()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var txnId = await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, "for the game key, sorry no code");
        await PassAsync();

        var unmatched = Assert.Single((await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id, inbox: true)).Items);
        Assert.Equal(PaymentOutcome.Unmatched, unmatched.Outcome);
        Assert.NotNull(unmatched.Raw);

        // Wrong payer account: refused, as if the transfer did not exist.
        var wrongAccount = await trade.Buyer.ClaimPaymentRawAsync(order.Id, txnId.ToString(System.Globalization.CultureInfo.InvariantCulture), "+79000000000");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongAccount.StatusCode);
        // A transaction id the wallet does not have.
        var unknown = await trade.Buyer.ClaimPaymentRawAsync(order.Id, "999999999999", "+79990001122");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        // Another buyer cannot claim for an order that is not theirs.
        var stranger = await _app.CreateApiClient().SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound,
            (await stranger.ClaimPaymentRawAsync(order.Id, txnId.ToString(System.Globalization.CultureInfo.InvariantCulture), "+79990001122")).StatusCode);

        // The injected transfer came from +79990001122 (the emulator's outside sender).
        var claimed = await ApiClient.ReadAsync<OrderDto>(
            await trade.Buyer.ClaimPaymentRawAsync(order.Id, txnId.ToString(System.Globalization.CultureInfo.InvariantCulture), "+7 999 000-11-22"),
            HttpStatusCode.OK);
        Assert.Equal(OrderStatus.Delivered, claimed.Status);
        var payment = Assert.Single((await trade.Buyer.GetOrderAsync(order.Id)).Payments!);
        Assert.Equal(PaymentSource.BuyerClaim, payment.Source);
    }

    [Fact]
    public async Task A_transfer_that_paid_one_order_cannot_be_claimed_for_another()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var paid = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var txnId = await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, paid.Payment.Comment);
        await PassAsync();
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(paid.Id)).Status);

        var other = await _app.CreateApiClient().SignUpAsync();
        var otherOrder = await other.PlaceOrderAsync(trade.Listing.Id);
        var claim = await other.ClaimPaymentRawAsync(otherOrder.Id, txnId.ToString(System.Globalization.CultureInfo.InvariantCulture), "+79990001122");

        Assert.Equal(HttpStatusCode.Conflict, claim.StatusCode);
        Assert.Equal(OrderStatus.AwaitingPayment, (await other.GetOrderAsync(otherOrder.Id)).Status);
    }

    [Fact]
    public async Task A_transfer_in_another_currency_goes_to_the_inbox_and_can_be_resolved_with_a_note()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, order.Payment.Comment, currency: 840);
        await PassAsync();

        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        var wrong = Assert.Single((await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id, inbox: true)).Items);
        Assert.Equal(PaymentOutcome.WrongCurrency, wrong.Outcome);
        Assert.Equal(HttpStatusCode.Conflict, (await trade.Seller.AttachTransferRawAsync(trade.SellerWallet.Id, wrong.Id, order.Id)).StatusCode);

        var empty = await trade.Seller.ResolveTransferRawAsync(trade.SellerWallet.Id, wrong.Id, "");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var resolved = await trade.Seller.ResolveTransferRawAsync(trade.SellerWallet.Id, wrong.Id, "Refunded in USD by hand");
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Empty((await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id, inbox: true)).Items);
        Assert.Equal("Refunded in USD by hand", Assert.Single((await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id)).Items).ResolutionNote);
    }

    [Fact]
    public async Task A_late_payment_inside_the_monitoring_window_is_fulfilled_while_stock_lasts_else_a_refund_is_due()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, paymentWindowMinutes: 10);
        var late = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromMinutes(15));
        await PassAsync();
        Assert.Equal(OrderStatus.Expired, (await trade.Buyer.GetOrderAsync(late.Id)).Status);

        // Paid an hour late, while the item is back in stock: delivered, flagged late.
        _app.FakeClock.Advance(TimeSpan.FromHours(1));
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, late.Payment.Comment);
        await PassAsync();
        var fulfilled = await trade.Buyer.GetOrderAsync(late.Id);
        Assert.Equal(OrderStatus.Delivered, fulfilled.Status);
        Assert.True(fulfilled.PaidLate);
        Assert.Equal(PaymentOutcome.Late, Assert.Single(fulfilled.Payments!).Outcome);
        Assert.Single(await trade.Buyer.GetItemsAsync(late.Id));

        // A second late payer finds no stock: refund due, visible to both.
        var other = await _app.CreateApiClient().SignUpAsync();
        await trade.Seller.AddItemsAsync(trade.Listing.Id, "KEY-SECOND");
        var second = await other.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromMinutes(15));
        await PassAsync();
        Assert.Equal(OrderStatus.Expired, (await other.GetOrderAsync(second.Id)).Status);
        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id); // someone else takes the returned item
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, second.Payment.Comment);
        await PassAsync();
        var refund = await trade.Seller.GetOrderAsync(second.Id);
        Assert.Equal(OrderStatus.RefundDue, refund.Status);
        Assert.Equal(150.00m, refund.Paid.Amount);
        Assert.Contains(refund.History!, h => h.Rule == "payment.no_stock");
    }

    [Fact]
    public async Task A_payment_after_the_monitoring_window_is_left_to_the_seller()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2, paymentWindowMinutes: 10);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromMinutes(15));
        await PassAsync();
        _app.FakeClock.Advance(TimeSpan.FromHours(25));
        // Another order keeps the wallet watched; the old order's window is over.
        var fresh = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        await PassAsync();

        Assert.Equal(OrderStatus.Expired, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(fresh.Id)).Status);
        var tooLate = Assert.Single((await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id, inbox: true)).Items);
        Assert.Equal(PaymentOutcome.TooLate, tooLate.Outcome);
        Assert.Equal(order.Id, tooLate.OrderId);
    }

    [Fact]
    public async Task A_partial_payment_still_short_at_the_deadline_makes_a_refund_due_and_returns_the_items()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, paymentWindowMinutes: 10);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 100.00m, order.Payment.Comment);
        await PassAsync();
        Assert.Equal(OrderStatus.PartiallyPaid, (await trade.Buyer.GetOrderAsync(order.Id)).Status);

        _app.FakeClock.Advance(TimeSpan.FromMinutes(15));
        await PassAsync();

        var refund = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.RefundDue, refund.Status);
        Assert.Equal(100.00m, refund.Paid.Amount);
        Assert.Equal(1, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task A_pending_transfer_holds_only_the_order_it_names()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2, paymentWindowMinutes: 10);
        var held = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var other = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var pending = await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, held.Payment.Comment, "WAITING");
        await PassAsync();
        Assert.Equal(OrderStatus.PaymentProcessing, (await trade.Buyer.GetOrderAsync(held.Id)).Status);

        _app.FakeClock.Advance(TimeSpan.FromMinutes(15));
        await PassAsync();
        Assert.Equal(OrderStatus.PaymentProcessing, (await trade.Buyer.GetOrderAsync(held.Id)).Status);
        Assert.Equal(OrderStatus.Expired, (await trade.Buyer.GetOrderAsync(other.Id)).Status);

        await trade.Qiwi.SetStatusAsync(pending, "ERROR");
        await PassAsync();
        Assert.Equal(OrderStatus.Expired, (await trade.Buyer.GetOrderAsync(held.Id)).Status);
        Assert.Equal(2, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task Paying_a_cancelled_order_makes_a_refund_due()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Buyer.CancelOrderAsync(order.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);

        await PassAsync();

        var refund = await trade.Seller.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.RefundDue, refund.Status);
        Assert.Equal(PaymentOutcome.OrderCancelled, Assert.Single(refund.Payments!).Outcome);
        Assert.Equal(1, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }
}
