using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>
/// Two hosts of the service on one PostgreSQL database, as behind a load balancer: tokens, goods and
/// payments cross between them, background work is divided, and a drained instance finishes what it
/// started and hands its wallets over.
/// </summary>
public sealed class ScaleOutTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_token_issued_by_one_instance_is_accepted_by_the_other_and_the_key_ring_is_stored_encrypted()
    {
        await using var first = await MarketplaceApp.StartOnPostgresAsync(postgres);
        await using var second = first.StartAnotherInstance();

        var issuedByFirst = await first.CreateApiClient().SignUpAsync();
        var onSecond = second.CreateClient();
        onSecond.DefaultRequestHeaders.Authorization = issuedByFirst.Http.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/api/v1/wallets")).StatusCode);

        var issuedBySecond = await new ApiClient(second.CreateClient()).SignUpAsync();
        var onFirst = first.CreateClient();
        onFirst.DefaultRequestHeaders.Authorization = issuedBySecond.Http.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await onFirst.GetAsync("/api/v1/wallets")).StatusCode);

        // One key ring, in the database, its master keys encrypted under the secret keys (a database reader cannot mint tokens).
        await using var scope = first.Services.CreateAsyncScope();
        var ring = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().DataProtectionKeys.ToListAsync();
        Assert.Single(ring);
        Assert.Contains("<secretProtected", ring[0].Xml!, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", ring[0].Xml!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instances_started_together_on_a_fresh_database_all_start()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marketplace"] = await postgres.CreateDatabaseAsync(),
            ["Secrets:Keys:test"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        await using var emulator = await EmulatorHost.StartAsync(TimeProvider.System);
        var starting = Enumerable.Range(0, 3)
            .Select(_ => Task.Run(() => MarketplaceApp.StartOnPostgresAsync(postgres, settings: settings, sharedEmulator: (emulator, TimeProvider.System))))
            .ToList();
        try
        {
            var apps = await Task.WhenAll(starting); // one migrates, the others wait for it, then find nothing to do
            var token = (await apps[0].CreateApiClient().SignUpAsync()).Http.DefaultRequestHeaders.Authorization;
            foreach (var app in apps)
            {
                var client = app.CreateClient();
                client.DefaultRequestHeaders.Authorization = token;
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/wallets")).StatusCode);
            }

            await using var scope = apps[0].Services.CreateAsyncScope();
            Assert.Single(await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().DataProtectionKeys.ToListAsync());
        }
        finally
        {
            foreach (var app in starting.Where(t => t.IsCompletedSuccessfully)) await (await app).DisposeAsync();
            await postgres.DropDatabaseAsync(settings["ConnectionStrings:Marketplace"]!);
        }
    }

    [Fact]
    public async Task Goods_uploaded_through_one_instance_are_delivered_through_the_other_and_the_payment_counts_once()
    {
        // Both instances run their matcher on its timer, as in production.
        await using var first = await MarketplaceApp.StartOnPostgresAsync(postgres, backgroundWatcher: true);
        await using var second = first.StartAnotherInstance();
        var trade = await TradeSetup.CreateAsync(first, items: 2);
        var buyer = new ApiClient(second.CreateClient());
        buyer.Http.DefaultRequestHeaders.Authorization = trade.Buyer.Http.DefaultRequestHeaders.Authorization;

        var order = await buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        var delivered = await WaitForAsync(() => buyer.GetOrderAsync(order.Id), o => o.Status == OrderStatus.Delivered);
        // More passes of both, besides their timers': the transfer is read again and again, and still counts once.
        for (var pass = 0; pass < 3; pass++)
            await Task.WhenAll(first.Watcher.RunOnceAsync(CancellationToken.None), second.Watcher.RunOnceAsync(CancellationToken.None));

        Assert.Equal(1, delivered.ItemCount);
        Assert.Contains(Assert.Single(await buyer.GetItemsAsync(order.Id)), trade.Items);
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        Assert.Equal(1, await db.IncomingPayments.CountAsync(p => p.WalletId == trade.SellerWallet.Id));
        Assert.Equal(1, await db.ListingItems.CountAsync(i => i.ListingId == trade.Listing.Id && i.Status == ListingItemStatus.Sold));
        Assert.Equal(1, await db.OrderHistory.CountAsync(h => h.OrderId == order.Id && h.To == OrderStatus.Delivered));
        Assert.Equal(1, (await buyer.GetListingAsync(trade.Listing.Id)).Stock);
        var holders = await db.Wallets.Where(w => w.Id == trade.SellerWallet.Id).Select(w => w.LeaseHolder).ToListAsync();
        Assert.Contains(holders[0], new[] { first.Watcher.InstanceId, second.Watcher.InstanceId });
    }

    [Fact]
    public async Task A_draining_instance_finishes_the_pass_in_hand_reports_it_and_hands_its_wallets_over()
    {
        await using var first = await MarketplaceApp.StartOnPostgresAsync(postgres, backgroundWatcher: true);
        var trade = await TradeSetup.CreateAsync(first, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await WaitForAsync(() => ReadinessAsync(first), r => r.Leases == 1);
        var ready = await ReadinessAsync(first);
        Assert.Equal((HttpStatusCode.OK, first.Watcher.InstanceId, false), (ready.Status, ready.Instance, ready.Draining));

        // Every history read now takes two seconds, so a pass is in flight when the stop comes.
        (await trade.Qiwi.Http.PutAsJsonAsync("admin/v1/faults", new { latencyMs = 2000 }, TestContext.Current.CancellationToken))
            .EnsureSuccessStatusCode();
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await first.Watcher.StopAsync(CancellationToken.None); // SIGTERM reaches the hosted services this way

        // The pass in hand was finished, not cancelled: the payment it read is delivered.
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        var draining = await ReadinessAsync(first);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, true, 0), (draining.Status, draining.Draining, draining.Leases));
        await using var second = first.StartAnotherInstance();
        var takeover = await second.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, takeover.Wallets); // the lease was given back, not left to expire
    }

    private static async Task<(HttpStatusCode Status, string Instance, bool Draining, int Leases)> ReadinessAsync(MarketplaceApp app)
    {
        using var response = await app.CreateClient().GetAsync("/health/ready");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var instance = body.GetProperty("checks").GetProperty("instance").GetProperty("data");
        return (response.StatusCode, instance.GetProperty("instance").GetString()!, instance.GetProperty("draining").GetBoolean(),
            instance.GetProperty("walletLeases").GetInt32());
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(100);
        }
    }
}
