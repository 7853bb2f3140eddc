using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>
/// A PostgreSQL database written by the release before the payment matching engine upgrades in place:
/// every row kept, and what the old rules recorded is moved to the new ones (underpayments count,
/// money for orders that cannot be fulfilled is owed back, duplicates are surplus), each moved order
/// with a history line saying why.
/// </summary>
public sealed class PaymentRulesUpgradeTests(PostgresServer postgres)
{
    private static readonly string SecretKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Payments_recorded_under_the_old_rules_end_in_explicit_states_after_the_upgrade()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(clock);
        try
        {
            TradeSetup trade, revoked;
            Guid latePartial, partial, paidTwice, cancelledThenPaid;
            await using (var app = await StartAsync(database, emulator, clock))
            {
                trade = await TradeSetup.CreateAsync(app, items: 6, paymentWindowMinutes: 10);
                latePartial = (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Id;
                clock.Advance(TimeSpan.FromMinutes(11));
                await PayAsync(trade, latePartial, 100.00m);
                await app.Watcher.RunOnceAsync(CancellationToken.None);

                partial = (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Id;
                await PayAsync(trade, partial, 100.00m);
                paidTwice = (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Id;
                await PayAsync(trade, paidTwice, 150.00m);
                await app.Watcher.RunOnceAsync(CancellationToken.None);
                await PayAsync(trade, paidTwice, 150.00m);
                cancelledThenPaid = (await trade.Buyer.PlaceOrderAsync(trade.Listing.Id)).Id;
                await trade.Buyer.CancelOrderAsync(cancelledThenPaid);
                await PayAsync(trade, cancelledThenPaid, 150.00m);
                revoked = await TradeSetup.CreateAsync(app, items: 1);
                await revoked.Buyer.PlaceOrderAsync(revoked.Listing.Id);
                (await revoked.Qiwi.Http.DeleteAsync($"admin/v1/tokens/{revoked.SellerQiwiToken}")).EnsureSuccessStatusCode();
                await app.Watcher.RunOnceAsync(CancellationToken.None);
            }

            // Back to the previous release: its schema, and what its rules had written.
            await RollBackOneMigrationAsync(database);
            await ExecuteAsync(database,
                "UPDATE incoming_payments SET \"Outcome\" = 'Underpaid' WHERE \"Outcome\" = 'Partial'",
                "UPDATE incoming_payments SET \"Outcome\" = 'OrderNotPayable' WHERE \"Outcome\" = 'Duplicate'",
                "UPDATE orders SET \"Status\" = 'AwaitingPayment' WHERE \"Status\" = 'PartiallyPaid'",
                "UPDATE orders SET \"Status\" = 'Cancelled' WHERE \"Status\" = 'RefundDue' AND \"CancelledAt\" IS NOT NULL",
                "UPDATE orders SET \"Status\" = 'Expired', \"ExpiredAt\" = \"ExpiresAt\" WHERE \"Status\" = 'RefundDue'",
                "UPDATE wallets SET \"Status\" = 'CredentialsRejected' WHERE \"Status\" = 'NeedsAttention'");
            var before = await CountsAsync(database, "order_status_changes");

            await using var upgraded = await StartAsync(database, emulator, clock);
            var after = await CountsAsync(database, "order_history");
            var buyer = await new ApiClient(upgraded.CreateClient()).LogInAsync(trade.Buyer.Credentials!.Value.Email, trade.Buyer.Credentials.Value.Password);
            var seller = await new ApiClient(upgraded.CreateClient()).LogInAsync(revoked.Seller.Credentials!.Value.Email, revoked.Seller.Credentials.Value.Password);

            Assert.Equal(before.Orders, after.Orders);
            Assert.Equal(before.Payments, after.Payments);
            Assert.Equal(before.History + 3, after.History); // one line per order the upgrade moved

            var stillOpen = await buyer.GetOrderAsync(partial);
            Assert.Equal(OrderStatus.PartiallyPaid, stillOpen.Status);
            Assert.Equal(100.00m, stillOpen.Paid.Amount);
            Assert.Equal(PaymentOutcome.Partial, Assert.Single(stillOpen.Payments!).Outcome);
            Assert.Contains(stillOpen.History!, h => h.Rule == "migration.payment_rules" && h.To == OrderStatus.PartiallyPaid);

            var twice = await buyer.GetOrderAsync(paidTwice);
            Assert.Equal(OrderStatus.Delivered, twice.Status);
            Assert.Equal(150.00m, twice.Surplus.Amount);
            Assert.Equal([PaymentOutcome.Accepted, PaymentOutcome.Duplicate], twice.Payments!.Select(p => p.Outcome));
            // Delivered before protection windows existed: the default window, from the delivery.
            Assert.Equal(twice.DeliveredAt!.Value.AddHours(72), twice.ProtectionEndsAt);
            Assert.Null(twice.CompletedAt);

            var cancelled = await buyer.GetOrderAsync(cancelledThenPaid);
            Assert.Equal(OrderStatus.RefundDue, cancelled.Status);
            Assert.Equal(150.00m, cancelled.Paid.Amount);

            var late = await buyer.GetOrderAsync(latePartial);
            Assert.Equal(OrderStatus.RefundDue, late.Status);
            Assert.Equal(100.00m, late.Paid.Amount);
            Assert.Equal(PaymentOutcome.Late, Assert.Single(late.Payments!).Outcome);

            // The listing tools' columns were filled from the old rows: the price in minor units (the catalog's
            // price filter reads it) and each item's seller (the once-per-seller key rule reads it).
            var priced = await buyer.Http.GetStringAsync($"/api/v1/listings?sellerId={trade.Listing.SellerId}&minPrice=150&maxPrice=150");
            Assert.Contains(trade.Listing.Id.ToString(), priced, StringComparison.Ordinal);
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var mismatched = new NpgsqlCommand(
                    "SELECT COUNT(*) FROM listing_items i JOIN listings l ON l.\"Id\" = i.\"ListingId\" WHERE i.\"SellerId\" <> l.\"SellerId\"", connection);
                Assert.Equal(0L, (long)(await mismatched.ExecuteScalarAsync())!);
            }

            var wallets = await seller.Http.GetFromJsonAsync<JsonElement>("/api/v1/wallets", ApiClient.Json);
            Assert.Equal("NeedsAttention", wallets[0].GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.String, wallets[0].GetProperty("attentionSince").ValueKind);

            // The upgraded database keeps working under the new rules: the partial order is topped up and delivered.
            await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 50.00m, stillOpen.Payment.Comment);
            await upgraded.Watcher.RunOnceAsync(CancellationToken.None);
            Assert.Equal(OrderStatus.Delivered, (await buyer.GetOrderAsync(partial)).Status);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database);
        }
    }

    private static async Task PayAsync(TradeSetup trade, Guid orderId, decimal amount)
    {
        var order = await trade.Buyer.GetOrderAsync(orderId);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, amount, order.Payment.Comment);
    }

    private Task<MarketplaceApp> StartAsync(string database, EmulatorHost emulator, TestClock clock) =>
        MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marketplace"] = database,
            ["Secrets:Keys:test"] = SecretKey,
        }, sharedEmulator: (emulator, clock));

    private static async Task RollBackOneMigrationAsync(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ApplicationDbContext>();
        new DatabaseOptions(DatabaseProvider.PostgreSql, connectionString).Configure(options);
        await using var db = new ApplicationDbContext(options.Options);
        // Back to the release before the matching engine (the migrations after it go too, as that release never had them).
        var all = db.Database.GetMigrations().ToList();
        var engine = all.FindIndex(m => m.EndsWith("_PaymentMatchingEngine", StringComparison.Ordinal));
        Assert.True(engine > 0);
        await db.GetService<IMigrator>().MigrateAsync(all[engine - 1]);
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task ExecuteAsync(string connectionString, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<(long Orders, long Payments, long History)> CountsAsync(string connectionString, string historyTable)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<long> CountAsync(string table)
        {
            await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table}", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        var counts = (await CountAsync("orders"), await CountAsync("incoming_payments"), await CountAsync(historyTable));
        NpgsqlConnection.ClearAllPools();
        return counts;
    }
}
