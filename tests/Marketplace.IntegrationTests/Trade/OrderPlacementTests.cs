using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>
/// Order placement's round trips and its stock gate (ADR 0003, ADR 0017): few statements, the listing row
/// locked only for the gate and the commit, and a gate that refuses an edited, paused or short listing.
/// </summary>
public sealed class OrderPlacementTests(PostgresServer postgres) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Placing_an_order_takes_few_round_trips_and_nothing_runs_after_the_gate_but_the_commit()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 5);
        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id); // warms the caches a first request fills
        var database = new NpgsqlConnectionStringBuilder(_app.DatabaseConnectionString).Database!;

        List<string> commands;
        using (var recorder = new CommandRecorder(database))
        {
            var response = await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            commands = recorder.Commands;
        }

        // Session check, listing with wallet, webhook endpoints, buyer lock with unpaid count, order insert, gate with items.
        Assert.True(commands.Count <= 6, $"{commands.Count} round trips:\n{string.Join("\n---\n", commands)}");
        var gate = commands.FindIndex(c => c.Contains("UPDATE listings SET \"AvailableCount\"", StringComparison.Ordinal));
        Assert.True(gate >= 0, "The stock gate was not seen.");
        Assert.Equal(commands.Count - 1, gate);
        Assert.Contains("FOR UPDATE SKIP LOCKED", commands[gate], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gate_refuses_an_edited_a_paused_or_a_short_listing_and_reserves_for_the_current_version()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 3);
        var listingId = trade.Listing.Id;
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var version = await db.Listings.Where(l => l.Id == listingId).Select(l => l.Version).SingleAsync(Ct);

        Assert.False((await ReserveAndRollBackAsync(db, listingId, version + 1, quantity: 1)).Reserved); // edited since it was read
        Assert.False((await ReserveAndRollBackAsync(db, listingId, version, quantity: 4)).Reserved); // more than the stock
        await AssertUntouchedAsync(db, listingId, 3);

        var orderId = Guid.NewGuid();
        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            var reservation = await ((IApplicationDbContext)db).ReserveForNewOrderAsync(listingId, version, orderId, 2, Ct);
            Assert.True(reservation.Reserved);
            Assert.Equal(1, reservation.AvailableAfter);
            await transaction.CommitAsync(Ct);
        }

        var items = await db.ListingItems.AsNoTracking().Where(i => i.ListingId == listingId).OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).ToListAsync(Ct);
        // The two oldest items, for this order; the newest still on sale.
        Assert.Equal([orderId, orderId], items.Take(2).Select(i => i.OrderId!.Value));
        Assert.All(items.Take(2), i => Assert.Equal(ListingItemStatus.Reserved, i.Status));
        Assert.Equal(ListingItemStatus.Available, items[2].Status);

        await trade.Seller.Http.PostAsync($"/api/v1/listings/{listingId}/pause", null, Ct);
        var paused = await db.Listings.AsNoTracking().Where(l => l.Id == listingId).Select(l => l.Version).SingleAsync(Ct);
        Assert.False((await ReserveAndRollBackAsync(db, listingId, paused, quantity: 1)).Reserved);
        await AssertUntouchedAsync(db, listingId, 1);
    }

    [Fact]
    public async Task A_refused_attempt_holds_no_items_while_it_is_still_open()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        var listingId = trade.Listing.Id;
        await using var refusedScope = _app.Services.CreateAsyncScope();
        await using var placingScope = _app.Services.CreateAsyncScope();
        var refusedDb = refusedScope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var placingDb = placingScope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var version = await placingDb.Listings.Where(l => l.Id == listingId).Select(l => l.Version).SingleAsync(Ct);

        await using var refused = await refusedDb.Database.BeginTransactionAsync(Ct);
        Assert.False((await ((IApplicationDbContext)refusedDb).ReserveForNewOrderAsync(listingId, version, Guid.NewGuid(), 3, Ct)).Reserved);

        // While the refused attempt has not rolled back yet, a buyer the gate lets through finds every item.
        await using (var placing = await placingDb.Database.BeginTransactionAsync(Ct))
        {
            var reservation = await ((IApplicationDbContext)placingDb).ReserveForNewOrderAsync(listingId, version, Guid.NewGuid(), 2, Ct);
            Assert.True(reservation.Reserved);
            Assert.Equal(0, reservation.AvailableAfter);
            await placing.CommitAsync(Ct);
        }

        await refused.RollbackAsync(Ct);
        await AssertUntouchedAsync(placingDb, listingId, 0);
        Assert.Equal(2, await placingDb.ListingItems.CountAsync(i => i.ListingId == listingId && i.Status == ListingItemStatus.Reserved, Ct));
    }

    [Fact]
    public async Task An_order_racing_with_price_edits_is_priced_from_the_version_its_stock_came_from()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 20, maxQuantityPerOrder: 1);
        var buyers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _app.CreateApiClient().SignUpAsync()));
        var prices = Enumerable.Range(0, 10).Select(i => 100m + i).ToArray();

        var orders = buyers.Select(b => b.PlaceOrderRawAsync(trade.Listing.Id, 1)).ToList();
        var edits = prices.Select(p => trade.Seller.Http.PatchAsJsonAsync($"/api/v1/listings/{trade.Listing.Id}", new { price = new { amount = p, currency = "RUB" } }, Ct));
        await Task.WhenAll(edits);
        var responses = await Task.WhenAll(orders);

        // Every order either went through at a price the listing really had, or lost the race thrice and says so.
        var known = prices.Append(trade.Listing.Price.Amount).ToHashSet();
        foreach (var response in responses)
        {
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                Assert.Contains("order.listing_changing", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
                continue;
            }

            var order = await ApiClient.ReadAsync<Marketplace.Application.Orders.OrderDto>(response, HttpStatusCode.Created);
            Assert.Contains(order.UnitPrice.Amount, known);
            Assert.Equal(order.UnitPrice.Amount, order.Total.Amount);
        }

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var placed = await db.Orders.CountAsync(o => o.ListingId == trade.Listing.Id, Ct);
        await AssertUntouchedAsync(db, trade.Listing.Id, 20 - placed);
    }

    private static async Task<Marketplace.Application.Orders.Stock.NewOrderReservation> ReserveAndRollBackAsync(
        ApplicationDbContext db, Guid listingId, int version, int quantity)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        var reservation = await ((IApplicationDbContext)db).ReserveForNewOrderAsync(listingId, version, Guid.NewGuid(), quantity, Ct);
        await transaction.RollbackAsync(Ct);
        return reservation;
    }

    /// <summary>The counter equals the available rows, and every reserved row belongs to an order that exists.</summary>
    private static async Task AssertUntouchedAsync(ApplicationDbContext db, Guid listingId, int available)
    {
        var counter = await db.Listings.AsNoTracking().Where(l => l.Id == listingId).Select(l => l.AvailableCount).SingleAsync(Ct);
        var rows = await db.ListingItems.AsNoTracking().CountAsync(i => i.ListingId == listingId && i.Status == ListingItemStatus.Available, Ct);
        Assert.Equal(available, counter);
        Assert.Equal(available, rows);
    }

    /// <summary>The commands Npgsql sends to one database while it listens (one activity per command or batch: a round trip each).</summary>
    private sealed class CommandRecorder : IDisposable
    {
        private readonly ConcurrentQueue<(DateTime Start, string Sql)> _seen = new();
        private readonly ActivityListener _listener;

        public CommandRecorder(string database)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    var db = activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name");
                    if (db as string == database && activity.GetTagItem("db.query.text") is string sql) _seen.Enqueue((activity.StartTimeUtc, sql));
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<string> Commands => _seen.OrderBy(c => c.Start).Select(c => c.Sql).ToList();

        public void Dispose() => _listener.Dispose();
    }
}
