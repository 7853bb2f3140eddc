using System.Net;
using System.Text.Json;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Wallets;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// The matcher under pressure: a wallet flooded with transfers, a seller's token revoked, two
/// instances on one database. One pass at a time, on a fake clock shared with the emulator.
/// </summary>
public sealed class MatcherResilienceTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;
    private EmulatorHost _emulator = null!;

    public async ValueTask InitializeAsync()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        // Room for a flood: the emulator's default keeps 1,000 history rows per wallet.
        _emulator = await EmulatorHost.StartAsync(clock, new Dictionary<string, string?> { ["QiwiEmulator:Limits:MaxHistoryRowsPerWallet"] = "5000" });
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["PaymentWatcher:AttentionHoldLimit"] = "02:00:00",
        }, sharedEmulator: (_emulator, clock));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_flood_of_transfers_delays_old_history_but_never_a_new_payment()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var older = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, older.Payment.Comment);
        _app.FakeClock.Advance(TimeSpan.FromSeconds(1));
        // 1,000 small transfers after it: 20 pages of history, more than one pass may read (8 requests).
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 1.00m, $"spam {i}"));
        _app.FakeClock.Advance(TimeSpan.FromSeconds(1));
        var newer = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, newer.Payment.Comment);

        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        // Newest first: the new payment is delivered at once; the old one waits behind the flood.
        var state = await WalletAsync(trade);
        Assert.True(OrderStatus.Delivered == (await trade.Buyer.GetOrderAsync(newer.Id)).Status, $"wallet: {state}");
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(older.Id)).Status);
        var wallet = await WalletAsync(trade);
        Assert.NotNull(wallet.BehindSince);

        for (var pass = 0; pass < 4; pass++) await _app.Watcher.RunOnceAsync(CancellationToken.None);

        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(older.Id)).Status);
        Assert.Null((await WalletAsync(trade)).BehindSince);
        Assert.Equal(1000, (await trade.Seller.GetTransfersAsync(trade.SellerWallet.Id, inbox: true)).TotalCount);
    }

    [Fact]
    public async Task A_revoked_token_pauses_listings_holds_orders_then_gives_up_on_them_and_reconnecting_catches_up()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1, paymentWindowMinutes: 10);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        (await trade.Qiwi.Http.DeleteAsync($"admin/v1/tokens/{trade.SellerQiwiToken}")).EnsureSuccessStatusCode();

        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        var wallet = await WalletAsync(trade);
        Assert.Equal(WalletStatus.NeedsAttention, wallet.Status);
        Assert.NotNull(wallet.AttentionSince);
        Assert.NotNull(wallet.LastSyncError);
        Assert.True((await trade.Buyer.GetListingAsync(trade.Listing.Id)).Paused);
        var catalog = await ApiClient.ReadAsync<PagedResult<ListingDto>>(await trade.Buyer.Http.GetAsync("/api/v1/listings?pageSize=100"), HttpStatusCode.OK);
        Assert.DoesNotContain(catalog.Items, l => l.Id == trade.Listing.Id);

        // The buyer pays in time, but nobody can read the wallet: the order is held, not expired.
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
        _app.FakeClock.Advance(TimeSpan.FromHours(1));
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.AwaitingPayment, (await trade.Buyer.GetOrderAsync(order.Id)).Status);

        // Past the hold limit (2 h here): unverifiable, the item goes back to stock.
        _app.FakeClock.Advance(TimeSpan.FromHours(2));
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.Unverifiable, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        Assert.Equal(1, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);

        // The seller reconnects: the catch-up read finds the payment made in time; the item is reserved again and delivered.
        var token = await trade.Qiwi.IssueTokenAsync(trade.SellerPhone, "ProfileRead", "HistoryRead");
        await trade.Seller.ConnectQiwiWalletAsync(trade.SellerPhone, token);
        Assert.False((await trade.Buyer.GetListingAsync(trade.Listing.Id)).Paused);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        var delivered = await trade.Buyer.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, delivered.Status);
        Assert.Equal([trade.Items[0]], await trade.Buyer.GetItemsAsync(order.Id));
    }

    [Fact]
    public async Task Two_instances_divide_wallets_by_lease_and_the_survivor_takes_over_a_stopped_ones()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var second = _app.StartAnotherInstance();
        try
        {
            var first = await _app.Watcher.RunOnceAsync(CancellationToken.None);
            var other = await second.Watcher.RunOnceAsync(CancellationToken.None);
            Assert.Equal(1, first.Wallets);
            Assert.Equal(0, other.Wallets); // the first instance holds the lease

            await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, order.Payment.Comment);
            await _app.Watcher.StopAsync(CancellationToken.None); // a drained instance gives its leases back

            var takeover = await second.Watcher.RunOnceAsync(CancellationToken.None);
            Assert.Equal(1, takeover.Wallets);
            Assert.Equal(1, takeover.Accepted);
            Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private static async Task<Marketplace.Application.Wallets.WalletDto> WalletAsync(TradeSetup trade)
    {
        var wallets = await ApiClient.ReadAsync<Marketplace.Application.Wallets.WalletDto[]>(await trade.Seller.Http.GetAsync("/api/v1/wallets"), HttpStatusCode.OK);
        return Assert.Single(wallets, w => w.Id == trade.SellerWallet.Id);
    }
}
