using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Disputes;
using Marketplace.Domain.Disputes;
using Marketplace.Domain.Orders;
using Marketplace.Infrastructure.BackgroundJobs;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Disputes;

/// <summary>
/// After delivery, through HTTP on PostgreSQL with a fake clock: the buyer reveals the items (the
/// first reveal is evidence), confirms or lets the protection window complete the order, or opens a
/// dispute that the seller answers (replace, contest) or a moderator decides, on deadlines.
/// </summary>
public sealed class AfterDeliveryTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Auth:AccessTokenLifetime"] = "30.00:00:00", // these tests move the clock past protection windows
        });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private AfterDeliveryJob Job => _app.Services.GetRequiredService<AfterDeliveryJob>();

    /// <summary>A new account made moderator the way an operator does it (the grant-moderator command).</summary>
    private async Task<ApiClient> ModeratorAsync()
    {
        var moderator = await _app.CreateApiClient().SignUpAsync();
        Assert.Equal(0, await Marketplace.Api.Hosting.ModeratorCommand.RunAsync(_app.Services, moderator.Credentials!.Value.Email, TextWriter.Null));
        return moderator;
    }

    [Fact]
    public async Task The_items_are_revealed_to_the_buyer_only_and_the_first_reveal_is_kept_as_evidence()
    {
        var (trade, order) = await DeliveredAsync(items: 2, quantity: 2);
        var stranger = await _app.CreateApiClient().SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await trade.Seller.GetItemsRawAsync(order)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetItemsRawAsync(order)).StatusCode);

        trade.Buyer.Http.DefaultRequestHeaders.UserAgent.ParseAdd("KeyShop/1.0");
        var first = await trade.Buyer.GetDeliveredItemsAsync(order);
        var revealedAt = _app.Clock.GetUtcNow();
        _app.FakeClock.Advance(TimeSpan.FromHours(1));
        var again = await trade.Buyer.GetDeliveredItemsAsync(order);

        Assert.Equal(trade.Items.Order(StringComparer.Ordinal), first.Select(i => i.Payload).Order(StringComparer.Ordinal));
        Assert.All(again, i => Assert.Equal(revealedAt, i.FirstRevealedAt, TimeSpan.FromMilliseconds(1))); // later reveals do not move the first (PostgreSQL keeps microseconds)
        Assert.All(first, i => Assert.False(i.Replacement));
        Assert.Equal(2, (await trade.Buyer.GetOrderAsync(order)).ItemCount);
    }

    [Fact]
    public async Task Confirming_receipt_completes_the_order_and_closes_it_to_disputes()
    {
        var (trade, order) = await DeliveredAsync(items: 2);
        var unpaid = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);

        Assert.Equal(HttpStatusCode.NotFound, (await trade.Seller.ConfirmReceiptRawAsync(order)).StatusCode);
        await AssertConflictAsync(trade.Buyer.ConfirmReceiptRawAsync(unpaid.Id), "order.invalid_transition");
        var confirmed = await ApiClient.ReadAsync<Marketplace.Application.Orders.OrderDto>(await trade.Buyer.ConfirmReceiptRawAsync(order), HttpStatusCode.OK);

        Assert.Equal(_app.Clock.GetUtcNow(), confirmed.CompletedAt);
        await AssertConflictAsync(trade.Buyer.ConfirmReceiptRawAsync(order), "order.invalid_transition");
        await AssertConflictAsync(trade.Buyer.OpenDisputeRawAsync(order), "dispute.not_allowed");
        Assert.Contains((await trade.Buyer.GetOrderAsync(order)).History!, h => h.Rule == "order.confirmed");
    }

    [Fact]
    public async Task Orders_complete_by_themselves_when_protection_ends_unless_a_dispute_holds_them()
    {
        var (trade, quiet) = await DeliveredAsync(items: 2);
        var disputed = await PayAsync(trade, await trade.Buyer.PlaceOrderAsync(trade.Listing.Id));
        var dispute = await trade.Buyer.OpenDisputeAsync(disputed);
        Assert.Equal(0, (await Job.RunOnceAsync(CancellationToken.None)).Completed); // nothing due yet

        _app.FakeClock.Advance(TimeSpan.FromHours(73)); // past the listing's default 72 h
        var pass = await Job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, pass.Completed);
        Assert.NotNull((await trade.Buyer.GetOrderAsync(quiet)).CompletedAt);
        Assert.Null((await trade.Buyer.GetOrderAsync(disputed)).CompletedAt);
        Assert.Equal(1, pass.Escalated); // the seller did not answer in 72 h either
        Assert.Equal(0, (await Job.RunOnceAsync(CancellationToken.None)).Completed); // once only
    }

    [Fact]
    public async Task Withdrawing_a_dispute_lets_the_order_complete_and_a_completed_order_cannot_be_disputed()
    {
        var (trade, order) = await DeliveredAsync();
        var dispute = await trade.Buyer.OpenDisputeAsync(order, "NotReceived", "Nothing shown in my account");
        await AssertConflictAsync(trade.Buyer.OpenDisputeRawAsync(order), "dispute.already_open");
        Assert.Equal(HttpStatusCode.Forbidden, (await trade.Seller.DisputeActionRawAsync(dispute.Id, "withdraw")).StatusCode);

        var withdrawn = await trade.Buyer.DisputeActionAsync(dispute.Id, "withdraw");
        _app.FakeClock.Advance(TimeSpan.FromHours(73));
        await Job.RunOnceAsync(CancellationToken.None);

        Assert.Equal((DisputeStatus.Resolved, DisputeResolution.Withdrawn), (withdrawn.Status, withdrawn.Resolution));
        Assert.NotNull((await trade.Buyer.GetOrderAsync(order)).CompletedAt);
        await AssertConflictAsync(trade.Buyer.OpenDisputeRawAsync(order), "dispute.not_allowed");
        await AssertConflictAsync(trade.Buyer.DisputeActionRawAsync(dispute.Id, "messages", new { text = "hello?" }), "dispute.invalid_transition");
    }

    [Fact]
    public async Task A_replacement_is_another_item_from_stock_revealed_like_the_first_and_no_stock_is_a_clear_409()
    {
        var (trade, order) = await DeliveredAsync(items: 2);
        var dispute = await trade.Buyer.OpenDisputeAsync(order);
        Assert.Equal(HttpStatusCode.Forbidden, (await trade.Buyer.DisputeActionRawAsync(dispute.Id, "replace")).StatusCode);

        var replaced = await trade.Seller.DisputeActionAsync(dispute.Id, "replace");
        var items = await trade.Buyer.GetDeliveredItemsAsync(order);

        Assert.Equal((DisputeStatus.Resolved, DisputeResolution.Replaced), (replaced.Status, replaced.Resolution));
        Assert.Equal(2, items.Count);
        Assert.Equal([false, true], items.Select(i => i.Replacement));
        Assert.Equal(trade.Items.Order(StringComparer.Ordinal), items.Select(i => i.Payload).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
        Assert.Equal(_app.Clock.GetUtcNow().AddHours(72), (await trade.Buyer.GetOrderAsync(order)).ProtectionEndsAt!.Value, TimeSpan.FromMilliseconds(1)); // a full window for the replacement

        // Again: nothing left. The dispute stays open for a refund or a contest; nothing changed.
        var second = await trade.Buyer.OpenDisputeAsync(order, "KeyAlreadyUsed", "The replacement is used too");
        await AssertConflictAsync(trade.Seller.DisputeActionRawAsync(second.Id, "replace"), "order.out_of_stock");
        Assert.Equal(DisputeStatus.AwaitingSeller, (await trade.Buyer.GetDisputeAsync(second.Id)).Status);
        Assert.Equal(2, (await trade.Buyer.GetDeliveredItemsAsync(order)).Count);
    }

    [Fact]
    public async Task Two_replacements_at_once_never_take_the_same_item()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 4);
        var orders = new List<Guid>();
        for (var i = 0; i < 2; i++) orders.Add(await PayAsync(trade, await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)));
        var disputes = new List<DisputeDto>();
        foreach (var order in orders) disputes.Add(await trade.Buyer.OpenDisputeAsync(order));

        var answers = await Task.WhenAll(disputes.Select(d => trade.Seller.DisputeActionRawAsync(d.Id, "replace")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var delivered = new List<string>();
        foreach (var order in orders) delivered.AddRange(await trade.Buyer.GetItemsAsync(order));
        Assert.Equal(4, delivered.Distinct().Count()); // every item once: two sold, two replacements
        Assert.Equal(0, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }

    [Fact]
    public async Task A_contested_dispute_is_decided_by_a_moderator_and_the_thread_records_every_step()
    {
        var (trade, order) = await DeliveredAsync();
        var moderator = await ModeratorAsync();
        var stranger = await _app.CreateApiClient().SignUpAsync();
        var dispute = await trade.Buyer.OpenDisputeAsync(order, "WrongRegionOrPlatform", "Region locked to EU");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetDisputeRawAsync(dispute.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DisputeActionRawAsync(dispute.Id, "messages", new { text = "hi" })).StatusCode);

        await trade.Seller.DisputeActionAsync(dispute.Id, "messages", new { text = "The listing says EU <3" });
        await AssertConflictAsync(moderator.DisputeActionRawAsync(dispute.Id, "decision", new { decision = "ForSeller", note = "Not yet escalated" }),
            "dispute.invalid_transition");
        var contested = await trade.Seller.DisputeActionAsync(dispute.Id, "contest", new { statement = "Clearly described as EU" });
        Assert.Equal(DisputeStatus.Escalated, contested.Status);
        await AssertConflictAsync(trade.Seller.DisputeActionRawAsync(dispute.Id, "replace"), "dispute.invalid_transition");
        Assert.Equal(HttpStatusCode.Forbidden,
            (await trade.Buyer.DisputeActionRawAsync(dispute.Id, "decision", new { decision = "ForBuyer", note = "I win" })).StatusCode);

        var queue = await moderator.Http.GetFromJsonAsync<JsonElement>("/api/v1/disputes?queue=true", TestContext.Current.CancellationToken);
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), d => d.GetProperty("id").GetGuid() == dispute.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await trade.Buyer.Http.GetAsync("/api/v1/disputes?queue=true", TestContext.Current.CancellationToken)).StatusCode);
        var decided = await moderator.DisputeActionAsync(dispute.Id, "decision", new { decision = "ForSeller", note = "The listing names the region" });

        Assert.Equal((DisputeStatus.Resolved, DisputeResolution.ForSeller, "moderator"), (decided.Status, decided.Resolution, decided.Role));
        Assert.Equal(
            [DisputeEventType.Opened, DisputeEventType.Message, DisputeEventType.Contested, DisputeEventType.Escalated, DisputeEventType.Resolved],
            decided.Events.Select(e => e.Type));
        Assert.Equal([1, 2, 3, 4, 5], decided.Events.Select(e => e.Sequence));
        Assert.NotNull((await trade.Buyer.GetOrderAsync(order)).CompletedAt); // decided for the seller: complete
    }

    [Fact]
    public async Task A_decision_for_the_buyer_keeps_the_order_held_and_moderators_grant_the_role()
    {
        var (trade, order) = await DeliveredAsync(items: 2);
        var first = await ModeratorAsync();
        var second = await _app.CreateApiClient().SignUpAsync();
        var dispute = await trade.Buyer.OpenDisputeAsync(order);
        _app.FakeClock.Advance(TimeSpan.FromHours(72));
        Assert.Equal(1, (await Job.RunOnceAsync(CancellationToken.None)).Escalated); // the seller never answered

        Assert.Equal(HttpStatusCode.Forbidden, (await second.Http.PostAsJsonAsync("/api/v1/moderators", new { email = second.Credentials!.Value.Email })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Http.PostAsJsonAsync("/api/v1/moderators", new { email = second.Credentials!.Value.Email })).StatusCode);
        var decided = await second.DisputeActionAsync(dispute.Id, "decision", new { decision = "ForBuyer", note = "No answer from the seller" });
        _app.FakeClock.Advance(TimeSpan.FromDays(10));
        await Job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(DisputeResolution.ForBuyer, decided.Resolution);
        Assert.NotNull(decided.RemedyDueBy);
        Assert.Equal(DisputeEventType.RemedyOverdue, (await trade.Buyer.GetDisputeAsync(dispute.Id)).Events[^1].Type); // 10 days passed
        Assert.Equal(1, (await ProfileAsync(trade)).Reputation.OverdueRemedies);
        var held = await trade.Buyer.GetOrderAsync(order);
        Assert.Null(held.CompletedAt); // owed a refund or a replacement: never completes by itself
        Assert.Equal(dispute.Id, held.OpenDisputeId);
        Assert.Contains(held.History!, h => h.Rule == "dispute.decided_for_buyer");

        // The remedy: a replacement releases the order (the decision stands); a second remedy has nothing left to release.
        var remedied = await trade.Seller.DisputeActionAsync(dispute.Id, "replace");
        Assert.Equal((DisputeResolution.ForBuyer, DisputeEventType.Replaced), (remedied.Resolution, remedied.Events[^1].Type));
        Assert.Null((await trade.Buyer.GetOrderAsync(order)).OpenDisputeId);
        Assert.Equal(0, (await ProfileAsync(trade)).Reputation.OverdueRemedies);
        await AssertConflictAsync(trade.Buyer.DisputeActionRawAsync(dispute.Id, "withdraw"), "dispute.invalid_transition");
    }

    [Fact]
    public async Task The_first_moderator_named_by_account_id_in_configuration_moderates_and_grants_the_role()
    {
        var (trade, order) = await DeliveredAsync();
        var email = $"moderator-{Guid.NewGuid():N}@example.com";
        var registered = await _app.CreateClient().PostAsJsonAsync("/api/v1/auth/register", new { email, password = "correct-horse-1" }, TestContext.Current.CancellationToken);
        var firstId = (await registered.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        var first = await _app.CreateApiClient().LogInAsync(email, "correct-horse-1");
        var other = await _app.CreateApiClient().SignUpAsync();
        await using var configured = _app.StartAnotherInstance(new Dictionary<string, string?> { ["Disputes:FirstModeratorAccountId"] = firstId.ToString() });
        var asFirst = new ApiClient(configured.CreateClient());
        asFirst.Http.DefaultRequestHeaders.Authorization = first.Http.DefaultRequestHeaders.Authorization;
        var dispute = await trade.Buyer.OpenDisputeAsync(order);

        Assert.Equal(HttpStatusCode.OK, (await asFirst.GetDisputeRawAsync(dispute.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await first.GetDisputeRawAsync(dispute.Id)).StatusCode); // the instance without the setting
        Assert.Equal(HttpStatusCode.OK, (await asFirst.Http.PostAsJsonAsync("/api/v1/moderators", new { email = other.Credentials!.Value.Email })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetDisputeRawAsync(dispute.Id)).StatusCode);
    }

    [Fact]
    public async Task Money_paid_for_nothing_can_be_disputed_at_any_time()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Buyer.CancelOrderAsync(order.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.RefundDue, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        _app.FakeClock.Advance(TimeSpan.FromDays(20));

        var dispute = await trade.Buyer.OpenDisputeAsync(order.Id, "PaidButNotDelivered", "I paid after cancelling by mistake");

        Assert.Equal(DisputeStatus.AwaitingSeller, dispute.Status);
        Assert.Equal(dispute.Id, (await trade.Buyer.GetOrderAsync(order.Id)).OpenDisputeId);
        // A seller cannot replace goods that were never delivered: the remedy is a refund.
        await AssertConflictAsync(trade.Seller.DisputeActionRawAsync(dispute.Id, "replace"), "dispute.nothing_to_replace");
    }

    [Fact]
    public async Task The_evidence_bundle_shows_each_party_its_side_and_never_the_items()
    {
        var (trade, order) = await DeliveredAsync();
        var moderator = await ModeratorAsync();
        trade.Buyer.Http.DefaultRequestHeaders.UserAgent.ParseAdd("KeyShop/1.0");
        await trade.Buyer.GetItemsAsync(order);
        var dispute = await trade.Buyer.OpenDisputeAsync(order);

        var forModerator = await moderator.Http.GetFromJsonAsync<JsonElement>($"/api/v1/disputes/{dispute.Id}/evidence", TestContext.Current.CancellationToken);
        var forSeller = await trade.Seller.Http.GetStringAsync($"/api/v1/disputes/{dispute.Id}/evidence", TestContext.Current.CancellationToken);
        var forBuyer = await trade.Buyer.Http.GetFromJsonAsync<JsonElement>($"/api/v1/disputes/{dispute.Id}/evidence", TestContext.Current.CancellationToken);

        var item = Assert.Single(forModerator.GetProperty("items").EnumerateArray());
        Assert.Equal("KeyShop/1.0", item.GetProperty("revealedWith").GetString());
        Assert.Equal(64, item.GetProperty("keyedHash").GetString()!.Length);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(forSeller).RootElement.GetProperty("items")[0].GetProperty("revealedWith").ValueKind);
        Assert.Equal("KeyShop/1.0", forBuyer.GetProperty("items")[0].GetProperty("revealedWith").GetString());
        foreach (var key in trade.Items) Assert.DoesNotContain(key, forSeller, StringComparison.Ordinal);
        var payment = Assert.Single(forModerator.GetProperty("payments").EnumerateArray());
        Assert.Equal(JsonValueKind.Object, payment.GetProperty("raw").ValueKind); // the wallet's own record
        Assert.Contains(forModerator.GetProperty("order").GetProperty("history").EnumerateArray(), h => h.GetProperty("rule").GetString() == "dispute.opened");
        Assert.Equal(HttpStatusCode.NotFound,
            (await (await _app.CreateApiClient().SignUpAsync()).Http.GetAsync($"/api/v1/disputes/{dispute.Id}/evidence", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("KeyInvalid", "", "description")]
    [InlineData("KeyInvalid", "<script>alert(1)</script>", "description")]
    [InlineData("NoSuchReason", "Broken", "reason")]
    public async Task A_dispute_with_bad_input_is_a_400_naming_the_field(string reason, string description, string field)
    {
        var (trade, order) = await DeliveredAsync();
        var response = await trade.Buyer.OpenDisputeRawAsync(order, reason, description);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase));
        Assert.Null((await trade.Buyer.GetOrderAsync(order)).OpenDisputeId);
    }

    private async Task<Marketplace.Application.Reputation.SellerProfileDto> ProfileAsync(TradeSetup trade) =>
        (await _app.CreateClient().GetFromJsonAsync<Marketplace.Application.Reputation.SellerProfileDto>(
            $"/api/v1/sellers/{trade.Listing.SellerId}", ApiClient.Json, TestContext.Current.CancellationToken))!;

    private async Task<(TradeSetup Trade, Guid Order)> DeliveredAsync(int items = 1, int quantity = 1)
    {
        var trade = await TradeSetup.CreateAsync(_app, items: items);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id, quantity);
        return (trade, await PayAsync(trade, order));
    }

    private async Task<Guid> PayAsync(TradeSetup trade, Marketplace.Application.Orders.OrderDto order)
    {
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, order.Total.Amount, order.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        return order.Id;
    }

    private static async Task AssertConflictAsync(Task<HttpResponseMessage> call, string code)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"Expected 409 {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }
}
