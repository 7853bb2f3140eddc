using Marketplace.Application.Payments.Rails;
using Marketplace.Infrastructure.Payments;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.QiwiEmulator.State;
using Marketplace.Rails.Qiwi;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Qiwi;

/// <summary>
/// The request budget in the database: one budget per wallet for every instance of the service, so two
/// instances together still never reach QIWI's 100 history requests a minute, and a block one of them
/// met stops the other too. The store itself is checked on both providers.
/// </summary>
public sealed class SharedRequestBudgetTests(PostgresServer postgres)
{
    private const string Key = "qiwi:0123456789abcdef";
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Two_instances_share_one_budget_and_the_81st_history_request_in_a_minute_is_refused_locally()
    {
        await using var first = await MarketplaceApp.StartOnPostgresAsync(postgres);
        await using var second = first.StartAnotherInstance();
        var admin = first.CreateEmulatorClient();
        var phone = await admin.CreateWalletAsync(EmulatorClient.NewPhone());
        var token = await admin.IssueTokenAsync(phone);
        var personId = long.Parse(phone.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture);
        var apis = new[] { first.Services.GetRequiredService<IQiwiWalletApi>(), second.Services.GetRequiredService<IQiwiWalletApi>() };

        for (var i = 0; i < 80; i++) await apis[i % 2].GetPaymentsAsync(token, personId, rows: 1);
        var refused = await Assert.ThrowsAsync<QiwiRateLimitedException>(() => apis[0].GetPaymentsAsync(token, personId, rows: 1));
        var refusedToo = await Assert.ThrowsAsync<QiwiRateLimitedException>(() => apis[1].GetPaymentsAsync(token, personId, rows: 1));

        Assert.True(refused.Local);
        Assert.True(refusedToo.Local);
        Assert.Null(first.Emulator!.Services.GetRequiredService<EmulatorState>().FindWallet(personId)!.HistoryBlockedUntil);

        first.FakeClock.Advance(Minute);
        Assert.NotNull(await apis[1].GetPaymentsAsync(token, personId, rows: 1));
    }

    [Fact]
    public async Task A_block_one_instance_met_stops_the_other_before_it_calls_qiwi()
    {
        await using var first = await MarketplaceApp.StartOnPostgresAsync(postgres);
        await using var second = first.StartAnotherInstance();
        var admin = first.CreateEmulatorClient();
        var phone = await admin.CreateWalletAsync(EmulatorClient.NewPhone());
        var token = await admin.IssueTokenAsync(phone);
        var personId = long.Parse(phone.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture);
        await admin.Http.PostAsync($"admin/v1/wallets/{phone.TrimStart('+')}/block", null);

        var remote = await Assert.ThrowsAsync<QiwiRateLimitedException>(() =>
            first.Services.GetRequiredService<IQiwiWalletApi>().GetPaymentsAsync(token, personId, rows: 1));
        var local = await Assert.ThrowsAsync<QiwiRateLimitedException>(() =>
            second.Services.GetRequiredService<IQiwiWalletApi>().GetProfileAsync(token));

        Assert.False(remote.Local);
        Assert.True(local.Local); // refused by the shared store: the second instance never called QIWI
        Assert.True(local.RetryAfter >= first.Clock.GetUtcNow().AddMinutes(4));
    }

    [Theory]
    [InlineData("PostgreSql")]
    [InlineData("Sqlite")]
    public async Task The_store_is_an_exact_sliding_window(string provider)
    {
        await using var store = await Store.CreateAsync(provider, postgres);
        var clock = store.Clock;
        var start = clock.GetUtcNow();

        for (var i = 0; i < 40; i++) Assert.Null(await store.TakeAsync(Key, 80));
        clock.Advance(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 40; i++) Assert.Null(await store.TakeAsync(Key, 80));

        // Full: it opens when the oldest of the 80 leaves the minute, not at the next whole minute.
        Assert.Equal(start + Minute, await store.TakeAsync(Key, 80));
        Assert.Null(await store.TakeAsync("qiwi:another-wallet", 80)); // budgets are per wallet

        clock.Advance(TimeSpan.FromSeconds(30)); // the first 40 are a minute old now
        for (var i = 0; i < 40; i++) Assert.Null(await store.TakeAsync(Key, 80));
        Assert.Equal(start + TimeSpan.FromSeconds(90), await store.TakeAsync(Key, 80));

        // A lower limit applies at once (ten back is one of the 40 of a moment ago); a higher one as soon as it is asked for.
        Assert.Equal(start + TimeSpan.FromSeconds(120), await store.TakeAsync(Key, 10));
        Assert.Null(await store.TakeAsync(Key, 81));
    }

    [Theory]
    [InlineData("PostgreSql")]
    [InlineData("Sqlite")]
    public async Task A_block_refuses_every_take_until_it_is_over_and_never_shrinks(string provider)
    {
        await using var store = await Store.CreateAsync(provider, postgres);
        var until = store.Clock.GetUtcNow().AddMinutes(5);

        await store.Budget(b => b.BlockAsync(Key, until, CancellationToken.None));
        await store.Budget(b => b.BlockAsync(Key, until.AddMinutes(-3), CancellationToken.None));

        Assert.Equal(until, await store.TakeAsync(Key, 80));
        Assert.Equal(until, await store.Budget(b => b.BlockedUntilAsync(Key, CancellationToken.None)));
        Assert.Null(await store.Budget(b => b.BlockedUntilAsync("qiwi:another-wallet", CancellationToken.None)));

        store.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await store.Budget(b => b.BlockedUntilAsync(Key, CancellationToken.None)));
        Assert.Null(await store.TakeAsync(Key, 80));
    }

    [Theory]
    [InlineData("PostgreSql")]
    [InlineData("Sqlite")]
    public async Task Concurrent_takes_on_separate_connections_never_exceed_the_limit(string provider)
    {
        await using var store = await Store.CreateAsync(provider, postgres);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var granted = 0;
            for (var i = 0; i < 25; i++)
                if (await store.TakeAsync(Key, 80) is null) granted++;
            return granted;
        })));

        Assert.Equal(80, results.Sum());
    }

    /// <summary>A migrated database of one provider, with a fresh context (and connection) per call, as separate instances would have.</summary>
    private sealed class Store : IAsyncDisposable
    {
        private readonly DatabaseOptions _database;
        private readonly Func<Task> _drop;

        private Store(DatabaseOptions database, Func<Task> drop)
        {
            _database = database;
            _drop = drop;
        }

        // Whole milliseconds, the store's resolution, so times read back compare exactly.
        public TestClock Clock { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

        public static async Task<Store> CreateAsync(string provider, PostgresServer postgres)
        {
            Store store;
            if (provider == "Sqlite")
            {
                var folder = Path.Combine(Path.GetTempPath(), "marketplace-budget-" + Guid.NewGuid().ToString("N")[..8]);
                Directory.CreateDirectory(folder);
                store = new Store(new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "budget.db")}"), () =>
                {
                    SqliteConnection.ClearAllPools();
                    TempFolder.Delete(folder);
                    return Task.CompletedTask;
                });
            }
            else
            {
                var connectionString = await postgres.CreateDatabaseAsync();
                store = new Store(new DatabaseOptions(DatabaseProvider.PostgreSql, connectionString), () => postgres.DropDatabaseAsync(connectionString));
            }

            await using var db = store.NewContext();
            await db.Database.MigrateAsync();
            return store;
        }

        public Task<DateTimeOffset?> TakeAsync(string key, int limit) => Budget(b => b.TryTakeAsync(key, limit, Minute, CancellationToken.None));

        public async Task<T> Budget<T>(Func<ISharedRequestBudget, Task<T>> use)
        {
            await using var db = NewContext();
            return await use(new DatabaseRequestBudget(db, Clock));
        }

        public async Task Budget(Func<ISharedRequestBudget, Task> use)
        {
            await using var db = NewContext();
            await use(new DatabaseRequestBudget(db, Clock));
        }

        private ApplicationDbContext NewContext()
        {
            var options = new DbContextOptionsBuilder<ApplicationDbContext>();
            _database.Configure(options);
            return new ApplicationDbContext(options.Options);
        }

        public async ValueTask DisposeAsync() => await _drop();
    }
}
