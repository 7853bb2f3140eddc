using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marketplace.Application.Wallets;
using Marketplace.Domain.Orders;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// Push: a seller who opts in gets a QIWI hook registered for the wallet; the emulator calls it (through
/// a small relay standing in for the public address), and a genuine notification delivers long before
/// the next poll. Forged, tampered and replayed notifications change nothing.
/// </summary>
public sealed class PushNotificationTests(PostgresServer postgres) : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;
    private WebApplication _relay = null!;
    private MarketplaceApp _app = null!;
    private readonly List<(string Path, byte[] Body)> _relayed = [];

    public async ValueTask InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync(TimeProvider.System, new Dictionary<string, string?> { ["QiwiEmulator:AllowLoopbackWebhooks"] = "true" });
        // The service under test runs in memory (TestServer): the relay is the public address the emulator calls.
        (_relay, var relayAddress) = await LoopbackHost.StartAsync(_ => { }, relay => relay.MapPost("/api/v1/hooks/{method}/{walletId}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            lock (_relayed) _relayed.Add((context.Request.Path.Value!, buffer.ToArray()));
            using var forwarded = await _app.CreateClient().PostAsync(context.Request.Path.Value, new ByteArrayContent(buffer.ToArray())
            {
                Headers = { ContentType = new("application/json") },
            });
            return Results.StatusCode((int)forwarded.StatusCode);
        }));
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres, backgroundWatcher: true, settings: new Dictionary<string, string?>
        {
            ["Push:PublicBaseUrl"] = relayAddress.ToString(),
            ["PaymentWatcher:Interval"] = "00:10:00", // polling alone would take ten minutes
            ["PaymentWatcher:LeaseDuration"] = "00:20:00",
        }, sharedEmulator: (_emulator, TimeProvider.System));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _relay.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_genuine_notification_delivers_long_before_the_next_poll_and_forgeries_change_nothing()
    {
        var (seller, wallet, sellerPhone, listing) = await SellerWithPushAsync();
        Assert.True(wallet.PushEnabled, wallet.PushError);
        var qiwi = _app.CreateEmulatorClient();
        var buyerPhone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone(), balance: 10_000m);
        var buyerToken = await qiwi.IssueTokenAsync(buyerPhone);
        var buyer = await _app.CreateApiClient().SignUpAsync();
        var order = await buyer.PlaceOrderAsync(listing);
        await Task.Delay(500, TestContext.Current.CancellationToken); // the start-up pass is over; the next poll is ten minutes away

        var clock = Stopwatch.StartNew();
        await qiwi.PayAsync(buyerToken, sellerPhone, 150.00m, order.Payment.Comment);
        var delivered = await WaitForAsync(buyer, order.Id, OrderStatus.Delivered, TimeSpan.FromSeconds(20));
        clock.Stop();

        Assert.Equal(OrderStatus.Delivered, delivered.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Delivered after {clock.Elapsed}");
        TestContext.Current.SendDiagnosticMessage($"Payment to delivery with push: {clock.Elapsed.TotalMilliseconds:0} ms");
        var (path, genuine) = _relayed.Last();

        // Replayed: accepted as a duplicate, nothing changes.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(path, genuine)).StatusCode);
        // Tampered: the amount changed, the hash no longer matches.
        var tampered = JsonNode.Parse(genuine)!;
        tampered["payment"]!["sum"]!["amount"] = 1_000_000;
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(path, Encoding.UTF8.GetBytes(tampered.ToJsonString()))).StatusCode);
        // Forged for an unpaid order: a transaction id of our choosing, signed with a key of our choosing.
        var unpaid = await buyer.PlaceOrderAsync(listing);
        var forged = JsonNode.Parse(genuine)!;
        forged["payment"]!["txnId"] = "999999999";
        forged["hash"] = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(new byte[32], "x"u8));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(path, Encoding.UTF8.GetBytes(forged.ToJsonString()))).StatusCode);
        // Another wallet's id in the path: no hook there.
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync($"/api/v1/hooks/qiwi/{Guid.NewGuid():N}", genuine)).StatusCode);

        await Task.Delay(500, TestContext.Current.CancellationToken);
        var after = await buyer.GetOrderAsync(order.Id);
        Assert.Single(after.Payments!);
        Assert.Single(await buyer.GetItemsAsync(order.Id));
        Assert.Equal(OrderStatus.AwaitingPayment, (await buyer.GetOrderAsync(unpaid.Id)).Status);
        Assert.Equal(0, (await seller.GetListingAsync(listing)).Stock); // one sold, one reserved by the unpaid order
    }

    [Fact]
    public async Task A_read_only_token_gets_polling_and_is_told_why_and_an_existing_hook_is_never_replaced_silently()
    {
        var qiwi = _app.CreateEmulatorClient();
        var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var readOnly = await qiwi.IssueTokenAsync(phone, "ProfileRead", "HistoryRead");
        var seller = await _app.CreateApiClient().SignUpAsync();

        var polled = await ApiClient.ReadAsync<WalletDto>(
            await seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token = readOnly, push = true }), HttpStatusCode.Created);
        Assert.False(polled.PushEnabled);
        Assert.Contains("payments without SMS", polled.PushError, StringComparison.Ordinal);

        // The seller's own hook elsewhere: connecting with push is refused until they say to replace it.
        var full = await qiwi.IssueTokenAsync(phone);
        using var asWallet = new HttpClient { BaseAddress = _emulator.BaseAddress };
        asWallet.DefaultRequestHeaders.Authorization = new("Bearer", full);
        (await asWallet.PutAsync($"payment-notifier/v1/hooks?hookType=1&param={Uri.EscapeDataString("https://93.184.215.14/theirs")}&txnType=0", null,
            TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var refused = await seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token = full, push = true });
        await InventoryAbuseTests.AssertProblemAsync(refused, HttpStatusCode.Conflict, "wallet.hook_exists");
        var replaced = await ApiClient.ReadAsync<WalletDto>(
            await seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token = full, push = true, replaceExistingHook = true }),
            HttpStatusCode.Created);
        Assert.True(replaced.PushEnabled, replaced.PushError);
    }

    private async Task<(ApiClient Seller, WalletDto Wallet, string Phone, Guid Listing)> SellerWithPushAsync()
    {
        var qiwi = _app.CreateEmulatorClient();
        var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var token = await qiwi.IssueTokenAsync(phone); // every permission group, notifications included
        var seller = await _app.CreateApiClient().SignUpAsync();
        var wallet = await ApiClient.ReadAsync<WalletDto>(
            await seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token, push = true }), HttpStatusCode.Created);
        var listing = await seller.CreateListingAsync(wallet.Id, 150.00m);
        await seller.AddItemsAsync(listing.Id, "KEY-PUSH-1", "KEY-PUSH-2");
        return (seller, wallet, phone, listing.Id);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body) =>
        await _app.CreateClient().PostAsync(path, new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

    private static async Task<Marketplace.Application.Orders.OrderDto> WaitForAsync(ApiClient buyer, Guid orderId, OrderStatus status, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var order = await buyer.GetOrderAsync(orderId);
            if (order.Status == status || DateTime.UtcNow > until) return order;
            await Task.Delay(50);
        }
    }
}
