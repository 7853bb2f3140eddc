using Marketplace.Application.Orders.Stock;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// The statements of order placement that run while rows are locked, so they cost as few round trips as
/// the database allows: on PostgreSQL each step is one <see cref="NpgsqlBatch"/> (the statements still run
/// one after another, each with a snapshot taken when it starts, so a later one sees what an earlier one
/// waited for). SQLite runs in process and serialises writers, so there the same steps are plain EF Core
/// statements. Enum values are bound as parameters, as EF Core stores them (their names).
/// </summary>
internal static class OrderPlacementStatements
{
    /// <summary>A transaction-local setting: the order the gate let through in this transaction.</summary>
    private const string GateSetting = "marketplace.gate_passed_for";

    private static readonly string[] HoldingStock = OrderStatuses.HoldingStock.Select(s => s.ToString()).ToArray();

    public static async Task<IReadOnlyList<Guid>?> LockBuyerAsync(
        ApplicationDbContext db, Guid buyerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            var locked = await db.Accounts.Where(a => a.Id == buyerId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastOrderPlacedAt, now), cancellationToken);
            if (locked == 0) return null;
            return await db.Orders.Where(o => o.BuyerId == buyerId && OrderStatuses.HoldingStock.Contains(o.Status))
                .Select(o => o.ListingId).ToListAsync(cancellationToken);
        }

        await using var batch = NewBatch(db);
        batch.BatchCommands.Add(Command("""UPDATE accounts SET "LastOrderPlacedAt" = $1 WHERE "Id" = $2 RETURNING 1""", now, buyerId));
        // The second statement's snapshot is taken after the first got the row lock: it sees a placement
        // by the same buyer that committed while this one waited.
        batch.BatchCommands.Add(Command("""SELECT "ListingId" FROM orders WHERE "BuyerId" = $1 AND "Status" = ANY($2)""", buyerId, HoldingStock));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var exists = await reader.ReadAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var listings = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken)) listings.Add(reader.GetGuid(0));
        return exists ? listings : null;
    }

    public static async Task<NewOrderReservation> ReserveAsync(
        ApplicationDbContext db, Guid listingId, int listingVersion, Guid orderId, int quantity, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql()) return await ReserveWithEfAsync(db, listingId, listingVersion, orderId, quantity, cancellationToken);

        await using var batch = NewBatch(db);
        // The gate, which on success also leaves a transaction-local mark naming the order: the next statement
        // runs whatever this one did (a batch has no branches), and the mark is how it knows.
        batch.BatchCommands.Add(Command($"""
            UPDATE listings SET "AvailableCount" = "AvailableCount" - $1
            WHERE "Id" = $2 AND "Version" = $3 AND "Status" = $4 AND "AvailableCount" >= $1
            RETURNING "AvailableCount", "LowStockThreshold", set_config('{GateSetting}', $5::text, true)
            """, quantity, listingId, listingVersion, nameof(ListingStatus.Active), orderId.ToString()));
        // Runs after the gate holds the listing row, with a fresh snapshot: it sees every item committed before.
        // Only when the gate let this order through: a refused attempt must not hold items until it rolls back,
        // or a buyer the gate did let through would skip them and come up short. Every change of an available item
        // holds the listing row, so under it SKIP LOCKED skips nothing it needs; it is there so that a reservation
        // never queues behind an unrelated lock on an item row. The oldest first, by (ListingId, Status, CreatedAt, Id).
        batch.BatchCommands.Add(Command($"""
            UPDATE listing_items SET "Status" = $1, "OrderId" = $2
            WHERE "Id" IN (SELECT "Id" FROM listing_items WHERE "ListingId" = $3 AND "Status" = $4
                             AND current_setting('{GateSetting}', true) = $6::text
                           ORDER BY "CreatedAt", "Id" LIMIT $5 FOR UPDATE SKIP LOCKED)
            RETURNING 1
            """, nameof(ListingItemStatus.Reserved), orderId, listingId, nameof(ListingItemStatus.Available), quantity, orderId.ToString()));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        NewOrderReservation gate = NewOrderReservation.Refused;
        if (await reader.ReadAsync(cancellationToken))
            gate = new NewOrderReservation(true, reader.GetInt32(0), await reader.IsDBNullAsync(1, cancellationToken) ? null : reader.GetInt32(1));
        await reader.NextResultAsync(cancellationToken);
        var items = 0;
        while (await reader.ReadAsync(cancellationToken)) items++;
        if (gate.Reserved) EnsureItemsFollowCounter(listingId, quantity, items);
        return gate;
    }

    private static async Task<NewOrderReservation> ReserveWithEfAsync(
        ApplicationDbContext db, Guid listingId, int listingVersion, Guid orderId, int quantity, CancellationToken cancellationToken)
    {
        var gated = await db.Listings
            .Where(l => l.Id == listingId && l.Version == listingVersion && l.Status == ListingStatus.Active && l.AvailableCount >= quantity)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.AvailableCount, l => l.AvailableCount - quantity), cancellationToken);
        if (gated == 0) return NewOrderReservation.Refused;

        var oldest = db.ListingItems
            .Where(i => i.ListingId == listingId && i.Status == ListingItemStatus.Available)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id)
            .Take(quantity)
            .Select(i => i.Id);
        var items = await db.ListingItems.Where(i => oldest.Contains(i.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ListingItemStatus.Reserved).SetProperty(i => i.OrderId, orderId), cancellationToken);
        EnsureItemsFollowCounter(listingId, quantity, items);
        var after = await db.Listings.Where(l => l.Id == listingId)
            .Select(l => new { l.AvailableCount, l.LowStockThreshold }).SingleAsync(cancellationToken);
        return new NewOrderReservation(true, after.AvailableCount, after.LowStockThreshold);
    }

    /// <summary>The counter let the order through but fewer items exist: the invariant of ADR 0003 is broken; refuse loudly.</summary>
    private static void EnsureItemsFollowCounter(Guid listingId, int quantity, int items)
    {
        if (items != quantity)
            throw new InvalidOperationException($"Listing {listingId} stock counter is ahead of its available items ({items} of {quantity} found).");
    }

    /// <summary>A batch on the unit of work's connection, in its transaction (these statements lock rows: never outside one).</summary>
    private static NpgsqlBatch NewBatch(ApplicationDbContext db)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("Order placement statements run inside the placement's transaction.");
        return new NpgsqlBatch((NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
