using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Rails.Qiwi;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.QiwiEmulator.State;

namespace Marketplace.IntegrationTests.Qiwi;

/// <summary>Every way a caller can grow the emulator's state is bounded, with small limits configured here.</summary>
public sealed class QiwiEmulatorLimitsTests
{
    [Fact]
    public async Task Wallets_are_limited_per_caller_with_429_and_in_total_with_409()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: new()
        {
            ["QiwiEmulator:Limits:MaxWallets"] = "3",
            ["QiwiEmulator:Limits:MaxWalletsPerCaller"] = "2",
        });
        var admin = qiwi.Admin;
        await admin.CreateWalletAsync(EmulatorClient.NewPhone());
        await admin.CreateWalletAsync(EmulatorClient.NewPhone());

        var quota = await admin.Http.PostAsJsonAsync("admin/v1/wallets", new { phone = EmulatorClient.NewPhone() });
        qiwi.State.CreateWallet(79_990_000_001, new Dictionary<int, decimal>(), caller: "198.51.100.7"); // another caller takes the last place
        var full = await admin.Http.PostAsJsonAsync("admin/v1/wallets", new { phone = EmulatorClient.NewPhone() });
        var fullForAnyone = Assert.Throws<EmulatorLimitException>(() =>
            qiwi.State.CreateWallet(79_990_000_002, new Dictionary<int, decimal>(), caller: "198.51.100.8"));

        Assert.Equal((HttpStatusCode.TooManyRequests, "emulator.wallets.caller-quota"), (quota.StatusCode, await CodeAsync(quota)));
        Assert.Equal((HttpStatusCode.Conflict, "emulator.wallets.full"), (full.StatusCode, await CodeAsync(full)));
        Assert.Equal("emulator.wallets.full", fullForAnyone.Code);
    }

    [Fact]
    public void Callers_are_client_addresses_and_ipv6_clients_are_grouped_by_64()
    {
        Assert.Equal("203.0.113.9", EmulatorState.CallerOf(IPAddress.Parse("203.0.113.9")));
        Assert.Equal("203.0.113.9", EmulatorState.CallerOf(IPAddress.Parse("::ffff:203.0.113.9")));
        Assert.Equal(EmulatorState.CallerOf(IPAddress.Parse("2001:db8:1:2::1")), EmulatorState.CallerOf(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(EmulatorState.CallerOf(IPAddress.Parse("2001:db8:1:2::1")), EmulatorState.CallerOf(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("unknown", EmulatorState.CallerOf(null));
    }

    [Fact]
    public async Task Only_a_few_revoked_tokens_are_kept_per_wallet_and_all_of_them_stay_refused()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: new() { ["QiwiEmulator:Limits:MaxInactiveTokensPerWallet"] = "1" });
        var (phone, personId, first) = await qiwi.NewWalletAsync();
        var tokens = new List<string> { first };
        for (var i = 0; i < 5; i++) tokens.Add(await qiwi.Admin.IssueTokenAsync(phone));

        Assert.Equal(2, qiwi.State.CountTokens(personId)); // the active one and one revoked
        await Assert.ThrowsAsync<QiwiUnauthorizedException>(() => qiwi.Api.GetProfileAsync(tokens[0]));
        await Assert.ThrowsAsync<QiwiUnauthorizedException>(() => qiwi.Api.GetProfileAsync(tokens[^2]));
        Assert.Equal(personId, (await qiwi.Api.GetProfileAsync(tokens[^1])).AuthInfo!.PersonId);
    }

    [Fact]
    public async Task A_full_history_refuses_injections_with_409_and_transfers_with_qiwi_codes_moving_no_money()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: new() { ["QiwiEmulator:Limits:MaxHistoryRowsPerWallet"] = "2" });
        var (_, buyerId, buyerToken) = await qiwi.NewWalletAsync(balance: 100m);
        var (seller, _, _) = await qiwi.NewWalletAsync();
        var (other, _, _) = await qiwi.NewWalletAsync();
        await qiwi.Admin.InjectIncomingAsync(seller, 1m, "a");
        await qiwi.Admin.InjectIncomingAsync(seller, 1m, "b");

        var injected = await qiwi.Admin.Http.PostAsJsonAsync($"admin/v1/wallets/{seller.TrimStart('+')}/transactions", new { type = "IN", amount = 1m });
        var toFull = await Assert.ThrowsAsync<QiwiValidationException>(() => qiwi.Payments.TransferToWalletAsync(buyerToken, seller, 5m, "full"));
        await qiwi.Payments.TransferToWalletAsync(buyerToken, other, 5m, "1");
        await qiwi.Payments.TransferToWalletAsync(buyerToken, other, 5m, "2");
        var fromFull = await Assert.ThrowsAsync<QiwiValidationException>(() => qiwi.Payments.TransferToWalletAsync(buyerToken, other, 5m, "3"));

        Assert.Equal((HttpStatusCode.Conflict, "emulator.history.full"), (injected.StatusCode, await CodeAsync(injected)));
        Assert.Equal("QWPRC-57", toFull.ErrorCode);
        Assert.Equal("QWPRC-700", fromFull.ErrorCode);
        Assert.Equal(90m, (await qiwi.Api.GetAccountsAsync(buyerToken, buyerId)).Accounts[0].Balance!.Amount);
        Assert.Equal(2, (await qiwi.Api.GetPaymentsAsync(buyerToken, buyerId, rows: 10)).Data.Count);
    }

    [Fact]
    public async Task Payment_ids_per_wallet_are_bounded_and_a_known_id_still_answers_its_first_result()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: new() { ["QiwiEmulator:Limits:MaxPaymentIdsPerWallet"] = "1" });
        var (_, _, buyerToken) = await qiwi.NewWalletAsync(balance: 100m);
        var (seller, _, _) = await qiwi.NewWalletAsync();
        var admin = qiwi.Admin;

        var first = await admin.TransferAsync(buyerToken, seller, 5m, "x", clientId: "1700000000001");
        var repeat = await admin.TransferAsync(buyerToken, seller, 5m, "x", clientId: "1700000000001");
        var next = await admin.TransferAsync(buyerToken, seller, 5m, "x", clientId: "1700000000002");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await TxnIdAsync(first), await TxnIdAsync(repeat));
        Assert.Equal(HttpStatusCode.BadRequest, next.StatusCode);
        Assert.Equal("QWPRC-700", (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("1000000000.01")]
    [InlineData("790000000000000000000000000")] // x100 would overflow a decimal
    public async Task An_amount_above_the_maximum_is_QWPRC_242_not_a_server_error(string amount)
    {
        await using var qiwi = await QiwiClientHarness.StartAsync();
        var (_, _, buyerToken) = await qiwi.NewWalletAsync(balance: 100m);
        var (seller, _, _) = await qiwi.NewWalletAsync();
        foreach (var provider in new[] { "99", "99999" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"sinap/api/v2/terms/{provider}/payments")
            {
                Content = new StringContent(
                    $$$"""{"id":"1700000000009","sum":{"amount":{{{amount}}},"currency":"643"},"paymentMethod":{"type":"Account","accountId":"643"},"fields":{"account":"{{{seller}}}"}}""",
                    System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", buyerToken);
            using var response = await qiwi.Admin.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("QWPRC-242", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Comments_longer_than_the_limit_are_refused()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: new() { ["QiwiEmulator:Limits:MaxCommentLength"] = "5" });
        var (_, _, buyerToken) = await qiwi.NewWalletAsync(balance: 100m);
        var (seller, _, _) = await qiwi.NewWalletAsync();

        var tooLong = await qiwi.Admin.TransferAsync(buyerToken, seller, 5m, "123456");
        var fits = await qiwi.Admin.TransferAsync(buyerToken, seller, 5m, "12345");
        var injected = await qiwi.Admin.Http.PostAsJsonAsync($"admin/v1/wallets/{seller.TrimStart('+')}/transactions", new { type = "IN", amount = 1m, comment = "123456" });

        Assert.Equal("QWPRC-300", (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, injected.StatusCode);
    }

    [Fact]
    public async Task The_payment_form_takes_only_client_ids_of_at_most_20_digits()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync();
        var (buyer, buyerId, token) = await qiwi.NewWalletAsync(balance: 100m);
        var (seller, _, _) = await qiwi.NewWalletAsync();
        using var http = new HttpClient { BaseAddress = qiwi.Emulator.BaseAddress };

        var paid = await http.PostAsync("payment/form/99", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["account"] = seller, ["sum"] = "5.00", ["comment"] = "x", ["payer"] = buyer, ["token"] = token, ["clientId"] = new string('9', 5_000),
        }));

        Assert.Contains("QWPRC-300", await paid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(100m, (await qiwi.Api.GetAccountsAsync(token, buyerId)).Accounts[0].Balance!.Amount);
    }

    [Theory]
    [InlineData("MaxPendingDeliveriesPerWallet", false)]
    [InlineData("MaxPendingDeliveries", true)]
    public async Task Pending_notifications_are_bounded_per_wallet_and_in_total(string limit, bool secondWallet)
    {
        await using var receiver = await QiwiEmulatorBehaviourTests.Receiver.StartAsync(failFirst: 1000); // every delivery fails and waits for its retry
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: new()
        {
            ["QiwiEmulator:AllowLoopbackWebhooks"] = "true",
            [$"QiwiEmulator:Limits:{limit}"] = "1",
        });
        var (_, _, buyerToken) = await qiwi.NewWalletAsync(balance: 100m);
        var (first, _, firstToken) = await qiwi.NewWalletAsync();
        var (second, _, secondToken) = await qiwi.NewWalletAsync();
        await qiwi.Api.RegisterWebhookAsync(firstToken, 1, receiver.Url, 2);
        await qiwi.Api.RegisterWebhookAsync(secondToken, 1, receiver.Url, 2);

        await qiwi.Api.SendTestWebhookAsync(firstToken);
        await QiwiEmulatorBehaviourTests.DeliverAsync(qiwi);
        await QiwiWebhookTargetTests.WaitUntilAsync(() => receiver.Bodies.Count == 1 && qiwi.State.PendingDeliveries == 1); // failed, queued for retry

        var (blockedToken, blockedWallet) = secondWallet ? (secondToken, second) : (firstToken, first);
        var blocked = await Assert.ThrowsAsync<QiwiRateLimitedException>(() => qiwi.Api.SendTestWebhookAsync(blockedToken));
        await qiwi.Payments.TransferToWalletAsync(buyerToken, blockedWallet, 5m, "paid anyway");

        Assert.Equal("request.blocked", blocked.ErrorCode);
        Assert.Equal(1, qiwi.State.PendingDeliveries);
        Assert.Equal(1, qiwi.State.DroppedNotifications); // the payment stands, its notification is given up
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    private static async Task<string?> TxnIdAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transaction").GetProperty("id").GetString();
}
