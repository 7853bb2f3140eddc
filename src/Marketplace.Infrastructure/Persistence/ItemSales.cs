using Marketplace.Domain.Listings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>An order's reserved items to be marked sold by the save (<see cref="ApplicationDbContext.SellReservedItemsOnSave"/>).</summary>
internal sealed record ItemSale(Guid OrderId, int Quantity, DateTimeOffset SoldAt);

/// <summary>
/// Writes the item sales a unit of work queued. Each order must hold exactly its quantity of reserved items, as
/// when the stock ledger sold loaded items one by one; otherwise the save fails (and its transaction is rolled back).
/// </summary>
internal static class ItemSales
{
    /// <summary>
    /// PostgreSQL: every sale of the save in one statement, to run after the tracked changes in the same batch.
    /// It returns one row, the number of orders that did not hold exactly their quantity (<see cref="Check"/>).
    /// </summary>
    public static NpgsqlBatchCommand Statement(IModel model, IReadOnlyList<ItemSale> sales)
    {
        var (table, status, soldAt, orderId, reserved, sold) = Names.GetValue(model, ColumnNames.For);
        var command = new NpgsqlBatchCommand(
            $"""
             WITH sold AS (
                 UPDATE {table} AS i SET {status} = $4, {soldAt} = v.at
                 FROM unnest($1::uuid[], $2::timestamp with time zone[]) AS v(o, at)
                 WHERE i.{orderId} = v.o AND i.{status} = $5
                 RETURNING i.{orderId} AS o)
             SELECT count(*) FROM unnest($1::uuid[], $3::integer[]) AS q(o, n)
             WHERE q.n <> (SELECT count(*) FROM sold WHERE sold.o = q.o)
             """);
        command.Parameters.Add(new NpgsqlParameter { Value = sales.Select(s => s.OrderId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = sales.Select(s => s.SoldAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = sales.Select(s => s.Quantity).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = sold });
        command.Parameters.Add(new NpgsqlParameter { Value = reserved });
        return command;
    }

    /// <summary>The statement's answer: orders whose reserved items were not exactly their quantity.</summary>
    public static void Check(long mismatched)
    {
        if (mismatched != 0)
            throw new InvalidOperationException($"{mismatched} sold order(s) did not hold exactly their quantity of reserved items.");
    }

    /// <summary>Elsewhere (SQLite, or a save that was not set-based): one update per order, each checked.</summary>
    public static async Task WriteOneByOneAsync(ApplicationDbContext db, IReadOnlyList<ItemSale> sales, CancellationToken cancellationToken)
    {
        foreach (var sale in sales)
        {
            var changed = await db.ListingItems.Where(i => i.OrderId == sale.OrderId && i.Status == ListingItemStatus.Reserved)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ListingItemStatus.Sold).SetProperty(i => i.SoldAt, sale.SoldAt), cancellationToken);
            if (changed != sale.Quantity)
                throw new InvalidOperationException($"Order {sale.OrderId} reserved {sale.Quantity} items but {changed} were found.");
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, ColumnNames> Names = new();

    /// <summary>Table, column names and the status values as stored, from the model.</summary>
    private sealed record ColumnNames(string Table, string Status, string SoldAt, string OrderId, object Reserved, object Sold)
    {
        public static ColumnNames For(IModel model)
        {
            var type = model.FindEntityType(typeof(ListingItem))!;
            var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            string Column(string name) => "\"" + type.FindProperty(name)!.GetColumnName(table) + "\"";
            var status = type.FindProperty(nameof(ListingItem.Status))!;
            object Stored(ListingItemStatus value) => status.GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;
            return new ColumnNames("\"" + table.Name + "\"", Column(nameof(ListingItem.Status)), Column(nameof(ListingItem.SoldAt)),
                Column(nameof(ListingItem.OrderId)), Stored(ListingItemStatus.Reserved), Stored(ListingItemStatus.Sold));
        }

    }
}
