using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Rails.Qiwi;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Marketplace.IntegrationTests.Qiwi;

/// <summary>The emulator's time-dependent behaviour: pending transfers, webhook delivery and retries, persistence.</summary>
public sealed class QiwiEmulatorBehaviourTests
{
    /// <summary>The receivers below listen on loopback, which the emulator refuses unless told otherwise.</summary>
    private static Dictionary<string, string?> LoopbackHooks => new() { ["QiwiEmulator:AllowLoopbackWebhooks"] = "true" };

    [Fact]
    public async Task Transfers_can_start_waiting_and_settle_later()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: new()
        {
            ["QiwiEmulator:TransfersStartWaiting"] = "true",
            ["QiwiEmulator:WaitingDuration"] = "00:01:00",
        });
        var (_, buyerId, token) = await qiwi.NewWalletAsync(balance: 100m);
        var (seller, sellerId, sellerToken) = await qiwi.NewWalletAsync();

        await qiwi.Payments.TransferToWalletAsync(token, seller, 40m, "wait");
        var pending = Assert.Single((await qiwi.Api.GetPaymentsAsync(sellerToken, sellerId, rows: 5)).Data);
        Assert.Equal("WAITING", pending.Status);
        Assert.Equal(0m, (await qiwi.Api.GetAccountsAsync(sellerToken, sellerId)).Accounts[0].Balance!.Amount);

        qiwi.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("SUCCESS", Assert.Single((await qiwi.Api.GetPaymentsAsync(sellerToken, sellerId, rows: 5)).Data).Status);
        Assert.Equal(40m, (await qiwi.Api.GetAccountsAsync(sellerToken, sellerId)).Accounts[0].Balance!.Amount);
        Assert.Equal(60m, (await qiwi.Api.GetAccountsAsync(token, buyerId)).Accounts[0].Balance!.Amount);
    }

    [Fact]
    public async Task A_waiting_transfer_that_fails_returns_the_money()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: new()
        {
            ["QiwiEmulator:TransfersStartWaiting"] = "true",
            ["QiwiEmulator:WaitingOutcome"] = "ERROR",
        });
        var (_, buyerId, token) = await qiwi.NewWalletAsync(balance: 100m);
        var (seller, sellerId, sellerToken) = await qiwi.NewWalletAsync();

        await qiwi.Payments.TransferToWalletAsync(token, seller, 40m, "fail");
        qiwi.Clock.Advance(TimeSpan.FromMinutes(1));

        var failed = Assert.Single((await qiwi.Api.GetPaymentsAsync(sellerToken, sellerId, rows: 5)).Data);
        Assert.Equal(("ERROR", 3), (failed.Status, failed.ErrorCode));
        Assert.Equal(100m, (await qiwi.Api.GetAccountsAsync(token, buyerId)).Accounts[0].Balance!.Amount);
        Assert.Equal(0m, (await qiwi.Api.GetAccountsAsync(sellerToken, sellerId)).Accounts[0].Balance!.Amount);
    }

    [Fact]
    public async Task Notifications_are_signed_and_retried_on_qiwis_schedule()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 1);
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: LoopbackHooks);
        var (_, _, buyerToken) = await qiwi.NewWalletAsync(balance: 100m);
        var (seller, _, sellerToken) = await qiwi.NewWalletAsync();
        var hook = await qiwi.Api.RegisterWebhookAsync(sellerToken, 1, receiver.Url, 0);
        var key = (await qiwi.Api.GetWebhookKeyAsync(sellerToken, hook.HookId)).Key;

        await qiwi.Payments.TransferToWalletAsync(buyerToken, seller, 10.50m, "hooked");
        await DeliverAsync(qiwi);
        Assert.Single(receiver.Bodies); // answered 500: QIWI tries again in 10 minutes

        qiwi.Clock.Advance(TimeSpan.FromMinutes(9));
        await DeliverAsync(qiwi);
        Assert.Single(receiver.Bodies);

        qiwi.Clock.Advance(TimeSpan.FromMinutes(1));
        await DeliverAsync(qiwi);
        Assert.Equal(2, receiver.Bodies.Count);
        var body = receiver.Bodies.Last();
        Assert.True(QiwiWebhookSignature.Verify(body, key), body);
        Assert.False(QiwiWebhookSignature.Verify(body, (await qiwi.Api.RotateWebhookKeyAsync(sellerToken, hook.HookId)).Key));
        Assert.Contains("\"comment\":\"hooked\"", body, StringComparison.Ordinal);
        Assert.Contains("\"amount\":10.5", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_notification_carries_a_sample_payment_signed_like_a_real_one()
    {
        await using var receiver = await Receiver.StartAsync(failFirst: 0);
        await using var qiwi = await QiwiClientHarness.StartAsync(emulatorSettings: LoopbackHooks);
        var (wallet, personId, token) = await qiwi.NewWalletAsync();
        var hook = await qiwi.Api.RegisterWebhookAsync(token, 1, receiver.Url, 2);
        var key = (await qiwi.Api.GetWebhookKeyAsync(token, hook.HookId)).Key;

        await qiwi.Api.SendTestWebhookAsync(token);
        await DeliverAsync(qiwi);

        var body = Assert.Single(receiver.Bodies);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.True(root.GetProperty("test").GetBoolean(), body);
        var payment = root.GetProperty("payment");
        Assert.Equal(JsonValueKind.Object, payment.ValueKind);
        Assert.Equal(("IN", "SUCCESS", personId, wallet), (payment.GetProperty("type").GetString(), payment.GetProperty("status").GetString(),
            payment.GetProperty("personId").GetInt64(), payment.GetProperty("account").GetString()));
        Assert.Equal("sum.currency,sum.amount,type,account,txnId", payment.GetProperty("signFields").GetString());
        // The typed client's verifier rebuilds the signed text and hashes it with the hook key.
        Assert.Equal(QiwiWebhookSignature.Compute(QiwiWebhookSignature.JoinSignFields(payment), key), root.GetProperty("hash").GetString());
        Assert.NotEqual(QiwiWebhookSignature.Compute(QiwiWebhookSignature.JoinSignFields(payment), (await qiwi.Api.RotateWebhookKeyAsync(token, hook.HookId)).Key),
            root.GetProperty("hash").GetString());
        // Verify still refuses test notifications: a test is never taken for a payment (contract §7.2 recommendation).
        Assert.False(QiwiWebhookSignature.Verify(body, key));
        // The sample payment is not in the wallet's history.
        Assert.Empty((await qiwi.Api.GetPaymentsAsync(token, personId, rows: 5)).Data);
    }

    [Fact]
    public async Task Standalone_state_survives_a_restart()
    {
        var file = Path.Combine(Path.GetTempPath(), $"qiwi-state-{Guid.NewGuid():N}.json");
        try
        {
            var settings = new Dictionary<string, string?> { ["QiwiEmulator:StateFile"] = file };
            string token;
            long personId;
            await using (var first = await QiwiClientHarness.StartAsync(emulatorSettings: settings))
            {
                (_, personId, token) = await first.NewWalletAsync(balance: 42m);
            }

            await using var second = await QiwiClientHarness.StartAsync(emulatorSettings: settings);
            Assert.Equal(42m, (await second.Api.GetAccountsAsync(token, personId)).Accounts[0].Balance!.Amount);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_payment_form_pays_with_the_locked_comment_and_amount_of_the_link()
    {
        await using var qiwi = await QiwiClientHarness.StartAsync();
        var (buyer, buyerId, token) = await qiwi.NewWalletAsync(balance: 100m);
        var (seller, sellerId, sellerToken) = await qiwi.NewWalletAsync();
        using var http = new HttpClient { BaseAddress = qiwi.Emulator.BaseAddress };
        var query = $"payment/form/99?extra%5B%27account%27%5D={seller.TrimStart('+')}&amountInteger=25&amountFraction=50&currency=643" +
                    "&extra%5B%27comment%27%5D=ORDER123&blocked%5B0%5D=sum&blocked%5B1%5D=account&blocked%5B2%5D=comment";

        var page = await http.GetStringAsync(query);
        var paid = await http.PostAsync(query, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            // A tampered page: the locked comment and amount must still be the link's.
            ["account"] = seller, ["sum"] = "1.00", ["comment"] = "SOMETHING-ELSE", ["payer"] = buyer, ["token"] = token, ["clientId"] = "1700000000999",
        }));

        Assert.Contains("value=\"ORDER123\" readonly", page, StringComparison.Ordinal);
        Assert.Contains("Paid.", await paid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var received = Assert.Single((await qiwi.Api.GetPaymentsAsync(sellerToken, sellerId, rows: 5)).Data);
        Assert.Equal((25.50m, "ORDER123"), (received.Sum!.Amount, received.Comment));
        Assert.Equal(74.50m, (await qiwi.Api.GetAccountsAsync(token, buyerId)).Accounts[0].Balance!.Amount);
    }

    internal static async Task DeliverAsync(QiwiClientHarness qiwi) =>
        (await qiwi.Admin.Http.PostAsync("admin/v1/webhooks/deliver", null)).EnsureSuccessStatusCode();

    /// <summary>A webhook handler on its own port that records bodies, failing the first N deliveries with 500.</summary>
    internal sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app, string url, ConcurrentQueue<string> bodies)
        {
            _app = app;
            Url = url;
            Bodies = bodies;
        }

        public string Url { get; }
        public ConcurrentQueue<string> Bodies { get; }

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var bodies = new ConcurrentQueue<string>();
            var failures = failFirst;
            var (app, address) = await LoopbackHost.StartAsync(_ => { }, app => app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                bodies.Enqueue(await reader.ReadToEndAsync());
                return Interlocked.Decrement(ref failures) >= 0 ? Results.StatusCode(500) : Results.Ok();
            }));
            return new Receiver(app, new Uri(address, "hook").ToString(), bodies);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
