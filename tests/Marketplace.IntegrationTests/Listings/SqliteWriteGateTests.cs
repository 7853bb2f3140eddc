using Marketplace.Domain.Orders;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Listings;

/// <summary>
/// The embedded default's SQLite transactions queue in arrival order in the process: the next starts when the one
/// before it commits, rolls back, or is dropped without either; many buyers at once all get their orders.
/// </summary>
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "marketplace-gate-" + Guid.NewGuid().ToString("N")[..8]);
    private EmbeddedApp _app = null!;

    private string DataSource => Path.Combine(_folder, "marketplace.db");

    public ValueTask InitializeAsync()
    {
        _app = new EmbeddedApp(_folder, watcher: false);
        _app.UseKestrel(0);
        _app.StartServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TempFolder.Delete(_folder);
    }

    [Fact]
    public async Task The_next_transaction_starts_when_the_one_before_ends_even_if_dropped_without_commit()
    {
        await using var first = _app.Services.CreateAsyncScope();
        var firstDb = first.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var open = await firstDb.Database.BeginTransactionAsync();
        Assert.True(SqliteWriteGate.Instance.IsTaken(DataSource));

        await using var second = _app.Services.CreateAsyncScope();
        var secondDb = second.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var waiting = secondDb.Database.BeginTransactionAsync();
        await Task.Yield();
        Assert.False(waiting.IsCompleted); // queued behind the open one, not polling SQLite

        // Dropped without commit or rollback: the place is given up when the connection closes.
        await open.DisposeAsync();
        await firstDb.Database.CloseConnectionAsync();
        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(SqliteWriteGate.Instance.IsTaken(DataSource));
        await next.CommitAsync();
        Assert.False(SqliteWriteGate.Instance.IsTaken(DataSource));
    }

    [Fact]
    public async Task Many_buyers_at_once_each_get_an_order_and_the_stock_adds_up()
    {
        var trade = await TradeSetup.CreateAsync(_app.CreateApiClient, _app.CreateEmulatorClient(), items: 24);
        // Six buyers (registration is rate limited per address), two orders each (the per-listing cap), all at once.
        var buyers = new List<ApiClient>();
        for (var i = 0; i < 6; i++) buyers.Add(await _app.CreateApiClient().SignUpAsync());

        var orders = await Task.WhenAll(buyers.Concat(buyers).Select(b => b.PlaceOrderAsync(trade.Listing.Id, quantity: 2)));

        Assert.All(orders, o => Assert.Equal(OrderStatus.AwaitingPayment, o.Status));
        Assert.Equal(0, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
        Assert.False(SqliteWriteGate.Instance.IsTaken(DataSource));
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var reserved = await db.ListingItems.Where(i => i.ListingId == trade.Listing.Id && i.OrderId != null).Select(i => i.OrderId).ToListAsync();
        Assert.Equal(24, reserved.Count);
        Assert.All(reserved.GroupBy(o => o), g => Assert.Equal(2, g.Count()));
    }
}
