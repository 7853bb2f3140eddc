using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Domain.Disputes;
using Marketplace.Domain.Orders;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Disputes;

/// <summary>
/// Refunds the seller makes from their own wallet and reports: verified in the wallet's history
/// through the emulator, partial ones adding up, and every kind of wrong report refused.
/// </summary>
public sealed class RefundTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Partial_refunds_add_up_and_the_full_amount_resolves_the_dispute()
    {
        var (trade, order, dispute, pay) = await DisputedAsync();
        var first = await trade.Seller.DisputeActionAsync(dispute, "refunds", new { transactionId = await RefundAsync(trade, pay, trade.BuyerPhone, 50.00m) });
        Assert.Equal(DisputeStatus.AwaitingSeller, first.Status);
        Assert.Equal(DisputeEventType.Refunded, first.Events[^1].Type);
        Assert.Equal(50.00m, (await trade.Buyer.GetOrderAsync(order)).Refunded!.Amount);

        var rest = await trade.Seller.DisputeActionAsync(dispute, "refunds", new { transactionId = await RefundAsync(trade, pay, trade.BuyerPhone, 100.00m) });

        Assert.Equal((DisputeStatus.Resolved, DisputeResolution.Refunded), (rest.Status, rest.Resolution));
        var refunded = await trade.Buyer.GetOrderAsync(order);
        Assert.Equal(150.00m, refunded.Refunded!.Amount);
        Assert.Null(refunded.OpenDisputeId);
        Assert.Contains(refunded.History!, h => h.Rule == "refund.full" && h.TransactionId is not null);
        var evidence = await trade.Buyer.Http.GetFromJsonAsync<JsonElement>($"/api/v1/disputes/{dispute}/evidence", TestContext.Current.CancellationToken);
        Assert.Equal(2, evidence.GetProperty("refunds").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, evidence.GetProperty("refunds")[0].GetProperty("raw").ValueKind);
    }

    [Fact]
    public async Task A_refund_owed_for_money_paid_after_cancelling_is_verified_the_same_way()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Buyer.CancelOrderAsync(order.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        var dispute = await trade.Buyer.OpenDisputeAsync(order.Id, "PaidButNotDelivered", "Paid after cancelling");

        var refunded = await trade.Seller.DisputeActionAsync(dispute.Id, "refunds",
            new { transactionId = await RefundAsync(trade, await PayTokenAsync(trade), trade.BuyerPhone, 150.00m) });

        Assert.Equal(DisputeResolution.Refunded, refunded.Resolution);
        var seen = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal((OrderStatus.RefundDue, 150.00m, 150.00m), (seen.Status, seen.Paid.Amount, seen.Refunded!.Amount));
        // Nothing is owed any more: no new money dispute.
        Assert.Equal(HttpStatusCode.Conflict, (await trade.Buyer.OpenDisputeRawAsync(order.Id, "PaidButNotDelivered")).StatusCode);
    }

    [Fact]
    public async Task A_refund_goes_only_to_a_wallet_whose_money_counted_and_never_beyond_what_it_paid()
    {
        var (trade, order, dispute, pay) = await DisputedAsync();
        // The seller ties a transfer from a second wallet of their own to the order (the comment, paid twice: a Duplicate).
        var own = await trade.Qiwi.CreateWalletAsync(EmulatorClient.NewPhone(), balance: 10m);
        var comment = (await trade.Buyer.GetOrderAsync(order)).Payment.Comment;
        await trade.Qiwi.PayAsync(await trade.Qiwi.IssueTokenAsync(own), trade.SellerPhone, 5.00m, comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        await AssertRefusedAsync(trade, dispute, await RefundAsync(trade, pay, own, 5.00m), HttpStatusCode.UnprocessableEntity, "refund.wrong_recipient");
        Assert.Equal(0m, (await trade.Buyer.GetOrderAsync(order)).Refunded!.Amount);
    }

    [Fact]
    public async Task An_order_still_open_for_payment_is_not_refunded_until_it_settles()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 100.00m, order.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        var dispute = await trade.Buyer.OpenDisputeAsync(order.Id, "Other", "Paid part by mistake");

        await AssertRefusedAsync(trade, dispute.Id, await RefundAsync(trade, await PayTokenAsync(trade), trade.BuyerPhone, 100.00m),
            HttpStatusCode.Conflict, "refund.order_open");
        Assert.Equal(OrderStatus.PartiallyPaid, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
    }

    [Fact]
    public async Task Wrong_reports_are_refused_and_change_nothing()
    {
        var (trade, order, dispute, pay) = await DisputedAsync();
        await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 500.00m, "top-up"); // so that large refunds are possible
        var stranger = await trade.Qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var buyerPayment = (await trade.Buyer.GetOrderAsync(order)).Payments![0].TransactionId;

        await AssertRefusedAsync(trade, dispute, "999999999", HttpStatusCode.UnprocessableEntity, "refund.not_found");
        await AssertRefusedAsync(trade, dispute, buyerPayment, HttpStatusCode.UnprocessableEntity, "refund.not_found"); // incoming, not a refund
        await AssertRefusedAsync(trade, dispute, await RefundAsync(trade, pay, stranger, 150.00m), HttpStatusCode.UnprocessableEntity, "refund.wrong_recipient");
        await AssertRefusedAsync(trade, dispute, await RefundAsync(trade, pay, trade.BuyerPhone, 200.00m), HttpStatusCode.UnprocessableEntity, "refund.exceeds_paid");
        var once = await RefundAsync(trade, pay, trade.BuyerPhone, 10.00m);
        await trade.Seller.DisputeActionAsync(dispute, "refunds", new { transactionId = once });
        await AssertRefusedAsync(trade, dispute, once, HttpStatusCode.Conflict, "refund.already_used");
        Assert.Equal(HttpStatusCode.Forbidden,
            (await trade.Buyer.DisputeActionRawAsync(dispute, "refunds", new { transactionId = await RefundAsync(trade, pay, trade.BuyerPhone, 5.00m) })).StatusCode);

        Assert.Equal(10.00m, (await trade.Buyer.GetOrderAsync(order)).Refunded!.Amount);
        Assert.Equal(DisputeStatus.AwaitingSeller, (await trade.Buyer.GetDisputeAsync(dispute)).Status);
    }

    [Fact]
    public async Task The_service_sends_a_refund_once_even_when_the_wallets_answer_is_lost()
    {
        var (trade, order, dispute, _) = await DisputedAsync(); // the seller reconnected with a token that may pay
        var buyerBefore = await BalanceAsync(trade, trade.BuyerPhone);
        // The wallet carries out the transfer but its answer is lost: the retry (same client id) must not pay twice.
        (await trade.Qiwi.Http.PutAsJsonAsync("admin/v1/faults", new { lostResponses = 1, pathContains = "/terms/99/payments" })).EnsureSuccessStatusCode();

        var refunded = await trade.Seller.DisputeActionAsync(dispute, "refunds/send", new { amount = 150.00m });

        Assert.Equal((DisputeStatus.Resolved, DisputeResolution.Refunded), (refunded.Status, refunded.Resolution));
        Assert.Equal(buyerBefore + 150.00m, await BalanceAsync(trade, trade.BuyerPhone));
        Assert.Equal(150.00m, (await trade.Buyer.GetOrderAsync(order)).Refunded!.Amount);
        var again = await trade.Seller.DisputeActionRawAsync(dispute, "refunds/send", new { amount = 1.00m });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // resolved: nothing more to send
        Assert.Equal(buyerBefore + 150.00m, await BalanceAsync(trade, trade.BuyerPhone));
    }

    [Fact]
    public async Task A_read_only_token_cannot_send_a_refund_and_nothing_is_left_pending()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        var dispute = await trade.Buyer.OpenDisputeAsync(order.Id);

        await AssertRefusedAsync(trade.Seller.DisputeActionRawAsync(dispute.Id, "refunds/send", new { amount = 150.00m }),
            HttpStatusCode.UnprocessableEntity, "refund.not_sent");
        await AssertRefusedAsync(trade.Seller.DisputeActionRawAsync(dispute.Id, "refunds/send", new { amount = 100.00m }),
            HttpStatusCode.UnprocessableEntity, "refund.not_sent"); // not "refund.pending": the refused request was dropped
        Assert.Equal(HttpStatusCode.Forbidden, (await trade.Buyer.DisputeActionRawAsync(dispute.Id, "refunds/send", new { amount = 1.00m })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await trade.Seller.DisputeActionRawAsync(dispute.Id, "refunds/send", new { amount = 0.001m })).StatusCode);
        Assert.Equal(0m, (await trade.Buyer.GetOrderAsync(order.Id)).Refunded!.Amount);
    }

    private static async Task<decimal> BalanceAsync(TradeSetup trade, string phone)
    {
        var wallet = await trade.Qiwi.Http.GetFromJsonAsync<JsonElement>($"admin/v1/wallets/{phone.TrimStart('+')}");
        return wallet.GetProperty("balances").EnumerateArray().Single(b => b.GetProperty("currency").GetInt32() == 643).GetProperty("amount").GetDecimal();
    }

    private static async Task AssertRefusedAsync(Task<HttpResponseMessage> call, HttpStatusCode status, string code)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    private async Task<(TradeSetup Trade, Guid Order, Guid Dispute, string PayToken)> DisputedAsync()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        var dispute = await trade.Buyer.OpenDisputeAsync(order.Id);
        return (trade, order.Id, dispute.Id, await PayTokenAsync(trade));
    }

    /// <summary>
    /// A token of the seller's wallet that may make payments, as the seller uses in their own wallet app.
    /// The emulator, like QIWI, revokes a wallet's older tokens when it issues one, so the seller
    /// reconnects the wallet with it (the service only ever reads with it).
    /// </summary>
    private static async Task<string> PayTokenAsync(TradeSetup trade)
    {
        var token = await trade.Qiwi.IssueTokenAsync(trade.SellerPhone);
        await trade.Seller.ConnectQiwiWalletAsync(trade.SellerPhone, token);
        return token;
    }

    /// <summary>A transfer from the seller's wallet, as the seller would make it in their own wallet app: its transaction id.</summary>
    private static async Task<string> RefundAsync(TradeSetup trade, string sellerPayToken, string to, decimal amount)
    {
        var response = await trade.Qiwi.TransferAsync(sellerPayToken, to, amount, "refund");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("transaction").GetProperty("id").GetString()!;
    }

    private static async Task AssertRefusedAsync(TradeSetup trade, Guid dispute, string transactionId, HttpStatusCode status, string code)
    {
        var response = await trade.Seller.DisputeActionRawAsync(dispute, "refunds", new { transactionId });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{transactionId}: expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }
}
