using System.Net.Http.Json;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// The matcher against a misbehaving wallet API (the emulator's fault switches) and across a
/// restart: every paid order is delivered exactly once, nothing unpaid is delivered, nothing is lost.
/// </summary>
public sealed class MatcherChaosTests(PostgresServer postgres)
{
    [Fact]
    public async Task Faults_duplicates_delays_and_transfers_in_flight_still_deliver_each_paid_order_exactly_once()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Qiwi:RequestTimeout"] = "00:00:01", // a hung request gives up fast
        });
        var trade = await TradeSetup.CreateAsync(app, items: 12, price: 150.00m, paymentWindowMinutes: 30);
        var orders = new List<Guid>();
        for (var i = 0; i < 10; i++) orders.Add((await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Id);
        async Task<string> CommentAsync(int i) => (await trade.Buyer.GetOrderAsync(orders[i])).Payment.Comment;

        // Noise, so history has several pages (50 rows each) and pages can overlap.
        for (var i = 0; i < 120; i++) await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 1.00m, $"noise {i}");
        for (var i = 0; i < 6; i++) await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, await CommentAsync(i));
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 100.00m, await CommentAsync(6));
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 50.00m, await CommentAsync(6));
        var waitingThenSuccess = await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, await CommentAsync(7), "WAITING");
        var waitingThenError = await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, await CommentAsync(8), "WAITING");
        // Order 9 is never paid.

        await SetFaultsAsync(trade, new { serverErrors = 3, malformedJson = 2, timeouts = 1, lostResponses = 2, duplicateRowsAcrossPages = true, visibilityDelay = "00:00:20" });
        for (var pass = 0; pass < 12; pass++)
        {
            if (pass == 4) await trade.Qiwi.SetStatusAsync(waitingThenSuccess, "SUCCESS");
            if (pass == 5) await trade.Qiwi.SetStatusAsync(waitingThenError, "ERROR");
            if (pass == 6) await SetFaultsAsync(trade, new { serverErrors = 2, malformedJson = 1, duplicateRowsAcrossPages = true });
            app.FakeClock.Advance(TimeSpan.FromSeconds(10));
            await app.Watcher.RunOnceAsync(CancellationToken.None);
        }

        (await trade.Qiwi.Http.DeleteAsync("admin/v1/faults")).EnsureSuccessStatusCode();
        await app.Watcher.RunOnceAsync(CancellationToken.None);

        for (var i = 0; i < 8; i++)
        {
            var order = await trade.Buyer.GetOrderAsync(orders[i]);
            Assert.True(order.Status == OrderStatus.Delivered, $"order {i} is {order.Status}");
            Assert.Single(await trade.Buyer.GetItemsAsync(order.Id));
            Assert.Single(order.Payments!, p => p.Outcome == PaymentOutcome.Accepted);
        }

        Assert.Equal(2, (await trade.Buyer.GetOrderAsync(orders[6])).Payments!.Count); // the split payment, both parts
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(orders[8])).Status);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(orders[9])).Status);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        Assert.Equal(8, await db.ListingItems.CountAsync(i => i.ListingId == trade.Listing.Id && i.Status == ListingItemStatus.Sold));
        var transfers = await db.IncomingPayments.Where(p => p.WalletId == trade.SellerWallet.Id).Select(p => p.ProviderTransactionId).ToListAsync();
        Assert.Equal(transfers.Count, transfers.Distinct().Count());
        Assert.Equal(120 + 6 + 2 + 1, transfers.Count); // every successful transfer recorded once, the failed one never
    }

    [Fact]
    public async Task Payments_made_while_the_service_was_stopped_are_each_decided_once_after_the_restart()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(clock);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marketplace"] = database,
            ["Secrets:Keys:test"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        try
        {
            TradeSetup trade;
            List<(Guid Id, string Comment)> orders = [];
            await using (var before = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: settings, sharedEmulator: (emulator, clock)))
            {
                trade = await TradeSetup.CreateAsync(before, items: 4, paymentWindowMinutes: 10);
                for (var i = 0; i < 4; i++)
                {
                    var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
                    orders.Add((order.Id, order.Payment.Comment));
                }

                await before.Watcher.RunOnceAsync(CancellationToken.None);
            }

            // The service is down: an exact payment, a split one, a late one; the fourth order stays unpaid.
            await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, orders[0].Comment);
            await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 70.00m, orders[1].Comment);
            await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 80.00m, orders[1].Comment);
            clock.Advance(TimeSpan.FromMinutes(15));
            await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, orders[2].Comment);
            clock.Advance(TimeSpan.FromMinutes(5));

            await using var after = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: settings, sharedEmulator: (emulator, clock));
            var first = await after.Watcher.RunOnceAsync(CancellationToken.None);
            var second = await after.Watcher.RunOnceAsync(CancellationToken.None);
            var buyer = await new ApiClient(after.CreateClient()).LogInAsync(trade.Buyer.Credentials!.Value.Email, trade.Buyer.Credentials.Value.Password);

            Assert.Equal(4, first.Accepted); // four transfers counted: exact, both halves, late
            Assert.Equal(1, first.Expired); // the unpaid one, now that history was read past its deadline
            Assert.Equal(0, second.Accepted + second.Rejected + second.Expired);
            var exact = await buyer.GetOrderAsync(orders[0].Id);
            var split = await buyer.GetOrderAsync(orders[1].Id);
            var late = await buyer.GetOrderAsync(orders[2].Id);
            Assert.Equal((OrderStatus.Delivered, 1), (exact.Status, exact.Payments!.Count));
            Assert.Equal((OrderStatus.Delivered, 2), (split.Status, split.Payments!.Count));
            Assert.Equal((OrderStatus.Delivered, true), (late.Status, late.PaidLate));
            Assert.Equal(OrderStatus.Expired, (await buyer.GetOrderAsync(orders[3].Id)).Status);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }

    private static async Task SetFaultsAsync(TradeSetup trade, object faults) =>
        (await trade.Qiwi.Http.PutAsJsonAsync("admin/v1/faults", faults)).EnsureSuccessStatusCode();
}
