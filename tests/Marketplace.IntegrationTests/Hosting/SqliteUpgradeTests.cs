using Marketplace.Application.Orders;
using Marketplace.Domain.Orders;
using Marketplace.Infrastructure.BackgroundJobs;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>
/// The embedded default's SQLite file, as the first release left it (its schema, with accounts,
/// a wallet, stock and an order paid while the service was down), upgrades in place: nothing is
/// lost, SQLite's table rebuilds keep every row, and the paid order is delivered afterwards.
/// </summary>
public sealed class SqliteUpgradeTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "marketplace-upgrade-" + Guid.NewGuid().ToString("N")[..8]);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(_folder);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_first_release_sqlite_database_upgrades_in_place_and_its_paid_order_is_delivered()
    {
        TradeSetup trade;
        OrderDto paid, unpaid;
        await using (var first = Start())
        {
            trade = await TradeSetup.CreateAsync(first.NewClient, first.Emulator(), items: 3);
            paid = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
            unpaid = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        }

        var before = await CountRowsAsync();
        await RollBackToFirstReleaseSchemaAsync();
        Assert.Equal(before, await CountRowsAsync()); // the first release's tables kept every row

        await using var upgraded = Start();
        Assert.Equal(before, await CountRowsAsync());
        Assert.Equal("wal", await JournalModeAsync()); // the first release's rollback journal, switched in place
        var qiwi = upgraded.Emulator();
        await qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, paid.Payment.Amount, paid.Payment.Comment);
        var pass = await upgraded.App.Services.GetRequiredService<PaymentWatcher>().RunOnceAsync(CancellationToken.None);
        var buyer = await upgraded.NewClient()
            .LogInAsync(trade.Buyer.Credentials!.Value.Email, trade.Buyer.Credentials.Value.Password);

        var delivered = await buyer.GetOrderAsync(paid.Id);
        var waiting = await buyer.GetOrderAsync(unpaid.Id);
        var listing = await buyer.GetListingAsync(trade.Listing.Id);
        Assert.Equal(1, pass.Accepted);
        Assert.Equal(OrderStatus.Delivered, delivered.Status);
        Assert.Contains(Assert.Single(await buyer.GetItemsAsync(paid.Id)), trade.Items);
        Assert.True(delivered.Sandbox);
        Assert.Equal(OrderStatus.AwaitingPayment, waiting.Status);
        Assert.Equal(1, listing.Stock);
        Assert.Equal(10, listing.MaxQuantityPerOrder); // a column the first release did not have, filled for old rows

        // The listing tools' columns were filled from the old rows: the price in minor units (the catalog's
        // price filter and sort read it) and each item's seller (the per-seller key uniqueness reads it).
        var priced = await buyer.Http.GetStringAsync($"/api/v1/listings?sellerId={trade.Listing.SellerId}&minPrice=150&maxPrice=150");
        Assert.Contains(trade.Listing.Id.ToString(), priced, StringComparison.Ordinal);
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var orphans = connection.CreateCommand();
        orphans.CommandText = "SELECT COUNT(*) FROM listing_items i JOIN listings l ON l.\"Id\" = i.\"ListingId\" WHERE i.\"SellerId\" <> l.\"SellerId\"";
        Assert.Equal(0L, (long)(await orphans.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Payments_recorded_under_the_old_rules_are_moved_to_the_new_ones_in_sqlite_too()
    {
        TradeSetup trade;
        Guid partial, paidTwice, cancelledThenPaid;
        await using (var app = Start())
        {
            var watcher = app.App.Services.GetRequiredService<PaymentWatcher>();
            trade = await TradeSetup.CreateAsync(app.NewClient, app.Emulator(), items: 4);
            partial = (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Id;
            await PayAsync(trade, partial, 99.99m); // of 150.00: text comparison would call it more
            paidTwice = (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Id;
            await PayAsync(trade, paidTwice, 150.00m);
            await watcher.RunOnceAsync(CancellationToken.None);
            await PayAsync(trade, paidTwice, 150.00m);
            cancelledThenPaid = (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Id;
            await trade.Buyer.CancelOrderAsync(cancelledThenPaid);
            await PayAsync(trade, cancelledThenPaid, 150.00m);
            await watcher.RunOnceAsync(CancellationToken.None);
        }

        await RollBackOneMigrationAsync();
        await using (var connection = new SqliteConnection(ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var sql in new[]
                     {
                         "UPDATE incoming_payments SET \"Outcome\" = 'Underpaid' WHERE \"Outcome\" = 'Partial'",
                         "UPDATE incoming_payments SET \"Outcome\" = 'OrderNotPayable' WHERE \"Outcome\" = 'Duplicate'",
                         "UPDATE orders SET \"Status\" = 'AwaitingPayment' WHERE \"Status\" = 'PartiallyPaid'",
                         "UPDATE orders SET \"Status\" = 'Cancelled' WHERE \"Status\" = 'RefundDue'",
                     })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
            }
        }

        SqliteConnection.ClearAllPools();
        var before = await CountRowsAsync();
        await using var upgraded = Start();
        var after = await CountRowsAsync();
        var buyer = await upgraded.NewClient().LogInAsync(trade.Buyer.Credentials!.Value.Email, trade.Buyer.Credentials.Value.Password);

        Assert.Equal(before["orders"], after["orders"]);
        Assert.Equal(before["incoming_payments"], after["incoming_payments"]);
        Assert.Equal(before["order history"] + 2, after["order history"]);
        var open = await buyer.GetOrderAsync(partial);
        Assert.Equal((OrderStatus.PartiallyPaid, 99.99m), (open.Status, open.Paid.Amount));
        var twice = await buyer.GetOrderAsync(paidTwice);
        Assert.Equal((OrderStatus.Delivered, 150.00m, 150.00m), (twice.Status, twice.Paid.Amount, twice.Surplus.Amount));
        // Delivered before protection windows existed: the default window from the delivery (integer time arithmetic in SQL).
        Assert.Equal(twice.DeliveredAt!.Value.AddHours(72), twice.ProtectionEndsAt);
        var cancelled = await buyer.GetOrderAsync(cancelledThenPaid);
        Assert.Equal((OrderStatus.RefundDue, 150.00m), (cancelled.Status, cancelled.Paid.Amount));
    }

    private static async Task PayAsync(TradeSetup trade, Guid orderId, decimal amount)
    {
        var order = await trade.Buyer.GetOrderAsync(orderId);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, amount, order.Payment.Comment);
    }

    private async Task RollBackOneMigrationAsync()
    {
        var options = new DbContextOptionsBuilder<ApplicationDbContext>();
        new DatabaseOptions(DatabaseProvider.Sqlite, ConnectionString).Configure(options);
        await using var db = new ApplicationDbContext(options.Options);
        // Back to the release before the matching engine (the migrations after it go too, as that release never had them).
        var all = db.Database.GetMigrations().ToList();
        var engine = all.FindIndex(m => m.EndsWith("_PaymentMatchingEngine", StringComparison.Ordinal));
        Assert.True(engine > 0);
        await db.GetService<IMigrator>().MigrateAsync(all[engine - 1]);
        SqliteConnection.ClearAllPools();
    }

    private Running Start()
    {
        var app = new EmbeddedApp(_folder, watcher: false);
        app.UseKestrel(0);
        app.StartServer();
        return new Running(app);
    }

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "marketplace.db")}";

    private async Task RollBackToFirstReleaseSchemaAsync()
    {
        var options = new DbContextOptionsBuilder<ApplicationDbContext>();
        new DatabaseOptions(DatabaseProvider.Sqlite, ConnectionString).Configure(options);
        await using var db = new ApplicationDbContext(options.Options);
        var first = db.Database.GetMigrations().First();
        await db.GetService<IMigrator>().MigrateAsync(first);
        Assert.Equal([first], await db.Database.GetAppliedMigrationsAsync());
        SqliteConnection.ClearAllPools();
        // The first release never switched the journal: its files were in SQLite's default rollback mode.
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var journal = connection.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode = DELETE";
        Assert.Equal("delete", (string?)await journal.ExecuteScalarAsync());
        await connection.CloseAsync();
        SqliteConnection.ClearAllPools();
        Assert.Equal("delete", await JournalModeAsync());
    }

    private async Task<string?> JournalModeAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        return (string?)await command.ExecuteScalarAsync();
    }

    private async Task<Dictionary<string, long>> CountRowsAsync()
    {
        var counts = new Dictionary<string, long>();
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        // The order history table was renamed (order_status_changes -> order_history) with its rows.
        await using (var probe = connection.CreateCommand())
        {
            probe.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'order_history'";
            var history = (long)(await probe.ExecuteScalarAsync())! > 0 ? "order_history" : "order_status_changes";
            foreach (var table in new[] { "accounts", "wallets", "listings", "listing_items", "orders", history, "incoming_payments" })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM {table}";
                counts[table == history ? "order history" : table] = (long)(await command.ExecuteScalarAsync())!;
            }
        }

        SqliteConnection.ClearAllPools();
        return counts;
    }

    /// <summary>A started <see cref="EmbeddedApp"/> and what the test needs of it.</summary>
    private sealed class Running(EmbeddedApp app) : IAsyncDisposable
    {
        public EmbeddedApp App => app;

        public ApiClient NewClient() => new(app.CreateClient());

        public EmulatorClient Emulator() => app.CreateEmulatorClient();

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }
}
