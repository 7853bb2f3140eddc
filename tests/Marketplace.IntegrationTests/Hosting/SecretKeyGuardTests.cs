using System.Security.Cryptography;
using Marketplace.Domain.Orders;
using Marketplace.Infrastructure.Persistence;
using Marketplace.Infrastructure.Security;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>
/// Instances must share the keys the stored secrets are encrypted under: an instance with another key
/// under the same id, without a key the data needs, or with a key file it just made up refuses to
/// start, saying why; rotation (a new active key, the old one kept) works across instances.
/// </summary>
public sealed class SecretKeyGuardTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly string KeyOne = NewKey();
    private string _database = "";
    private EmulatorHost _emulator = null!;
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        _emulator = await EmulatorHost.StartAsync(_clock);
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        await postgres.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task Another_key_under_the_same_id_is_refused_at_start_up()
    {
        await using (var first = await StartAsync(("test", KeyOne)))
            await TradeSetup.CreateAsync(first, items: 1);

        var refused = await RefusedAsync(("test", NewKey()));
        Assert.Contains("Secret key 'test' of this instance is not the key registered under that id", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_key_that_data_is_encrypted_under_is_refused_at_start_up()
    {
        await using (var first = await StartAsync(("test", KeyOne)))
            await TradeSetup.CreateAsync(first, items: 1);

        var refused = await RefusedAsync(("other", NewKey()));
        Assert.Contains("Secret key 'test' (registered", refused, StringComparison.Ordinal);
        Assert.Contains("is not configured on this instance", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_without_keys_does_not_make_up_its_own_beside_a_database_with_data()
    {
        await using (var first = await StartAsync(("test", KeyOne)))
            await TradeSetup.CreateAsync(first, items: 1);
        var folder = Directory.CreateTempSubdirectory("marketplace-keys-").FullName;
        try
        {
            var keyFile = Path.Combine(folder, "secret-keys.json");
            var refused = await RefusedWithSettingsAsync(new() { ["Secrets:Keys:test"] = null, ["Secrets:ActiveKeyId"] = null, ["Secrets:KeyFile"] = keyFile });
            Assert.Contains($"created {keyFile} just now (it has been removed again)", refused, StringComparison.Ordinal);
            Assert.False(File.Exists(keyFile)); // placing the first instance's file there is then enough
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task A_rotated_key_is_used_for_new_secrets_while_old_ones_stay_readable_and_fingerprints_stay_put()
    {
        TradeSetup trade;
        await using (var first = await StartAsync(("test", KeyOne)))
            trade = await TradeSetup.CreateAsync(first, items: 1);

        var keyTwo = NewKey();
        await using (var rotated = await StartAsync(("test", KeyOne), ("k2", keyTwo), active: "k2"))
        {
            var seller = await rotated.CreateApiClient().LogInAsync(trade.Seller.Credentials!.Value.Email, trade.Seller.Credentials.Value.Password);
            var buyer = await rotated.CreateApiClient().LogInAsync(trade.Buyer.Credentials!.Value.Email, trade.Buyer.Credentials.Value.Password);
            var added = await seller.AddItemsAsync(trade.Listing.Id, trade.Items[0], "KEY-AFTER-ROTATION");
            Assert.Equal((1, 1), (added.GetProperty("added").GetInt32(), added.GetProperty("duplicates").GetInt32())); // same fingerprint as before

            // The old wallet token (under 'test') still reads the wallet; the new item (under 'k2') is delivered.
            var order = await buyer.PlaceOrderAsync(trade.Listing.Id, quantity: 2);
            await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 300.00m, order.Payment.Comment);
            Assert.Equal(1, (await rotated.Watcher.RunOnceAsync(CancellationToken.None)).Accepted);
            var delivered = await buyer.GetOrderAsync(order.Id);
            Assert.Equal(OrderStatus.Delivered, delivered.Status);
            Assert.Equal(new[] { trade.Items[0], "KEY-AFTER-ROTATION" }.Order(StringComparer.Ordinal), (await buyer.GetItemsAsync(order.Id)).Order(StringComparer.Ordinal));

            await using var scope = rotated.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            var payloads = await db.ListingItems.Where(i => i.ListingId == trade.Listing.Id).Select(i => i.EncryptedPayload).ToListAsync();
            Assert.Equal(["v1.k2.", "v1.test."], payloads.Select(p => p[..(p.IndexOf('.', 3) + 1)]).Order(StringComparer.Ordinal));
        }

        // Data is still under 'test' (and the fingerprints are): an instance that dropped it is refused.
        Assert.Contains("Secret key 'test' (registered", await RefusedAsync(("k2", keyTwo)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_from_before_the_key_registry_is_checked_against_its_data_then_registered()
    {
        await using (var first = await StartAsync(("test", KeyOne)))
            await TradeSetup.CreateAsync(first, items: 1);
        await ForgetRegistryAsync(); // as the previous release left it

        var refused = await RefusedAsync(("test", NewKey()));
        Assert.Contains("Secret key 'test' of this instance does not decrypt the data stored under that id", refused, StringComparison.Ordinal);

        await using var again = await StartAsync(("test", KeyOne));
        await using var scope = again.Services.CreateAsyncScope();
        var registry = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().SecretKeys.ToListAsync();
        Assert.Equal(("test", true), (Assert.Single(registry).KeyId, registry[0].Fingerprints));
    }

    private Task<MarketplaceApp> StartAsync(params (string Id, string Key)[] keys) => StartAsync(keys, keys[^1].Id);

    private Task<MarketplaceApp> StartAsync((string Id, string Key) one, (string Id, string Key) two, string active) => StartAsync([one, two], active);

    private Task<MarketplaceApp> StartAsync((string Id, string Key)[] keys, string active)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Marketplace"] = _database, ["Secrets:ActiveKeyId"] = active, ["Secrets:Keys:test"] = null };
        foreach (var (id, key) in keys) settings[$"Secrets:Keys:{id}"] = key;
        return MarketplaceApp.StartOnPostgresAsync(postgres, settings: settings, sharedEmulator: (_emulator, _clock));
    }

    private Task<string> RefusedAsync(params (string Id, string Key)[] keys)
    {
        var settings = new Dictionary<string, string?> { ["Secrets:ActiveKeyId"] = keys[^1].Id, ["Secrets:Keys:test"] = null };
        foreach (var (id, key) in keys) settings[$"Secrets:Keys:{id}"] = key;
        return RefusedWithSettingsAsync(settings);
    }

    /// <summary>Starts an instance expected to refuse the database; returns why it refused.</summary>
    private async Task<string> RefusedWithSettingsAsync(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Marketplace"] = _database;
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: settings, sharedEmulator: (_emulator, _clock));
        });
        for (var e = error; e is not null; e = e.InnerException)
            if (e is SecretKeyMismatchException) return e.Message;
        throw new Xunit.Sdk.XunitException($"Expected a SecretKeyMismatchException, got {error}");
    }

    private async Task ForgetRegistryAsync()
    {
        var options = new DbContextOptionsBuilder<ApplicationDbContext>();
        new DatabaseOptions(DatabaseProvider.PostgreSql, _database).Configure(options);
        await using var db = new ApplicationDbContext(options.Options);
        await db.SecretKeys.ExecuteDeleteAsync();
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
