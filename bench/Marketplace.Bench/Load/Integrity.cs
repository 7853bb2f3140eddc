using System.Data.Common;

namespace Marketplace.Bench.Load;

/// <summary>
/// The stock invariants, checked in SQL straight on the service's database after a scenario (PostgreSQL and
/// SQLite alike: plain SQL, enum columns stored as their names). Each check counts the rows that break it.
/// </summary>
public static class Integrity
{
    private const string Holding = "'AwaitingPayment', 'PaymentProcessing', 'PartiallyPaid'";

    public static readonly (string Name, string Sql)[] Checks =
    [
        ("items reserved or sold outside exactly one order of their listing",
            "SELECT COUNT(*) FROM listing_items i LEFT JOIN orders o ON o.\"Id\" = i.\"OrderId\" " +
            "WHERE i.\"Status\" IN ('Reserved', 'Sold') AND (o.\"Id\" IS NULL OR o.\"ListingId\" <> i.\"ListingId\" " +
            $"OR (i.\"Status\" = 'Reserved' AND o.\"Status\" NOT IN ({Holding})))"),
        ("listings whose available counter differs from their Available item rows",
            "SELECT COUNT(*) FROM listings l WHERE l.\"AvailableCount\" <> " +
            "(SELECT COUNT(*) FROM listing_items i WHERE i.\"ListingId\" = l.\"Id\" AND i.\"Status\" = 'Available')"),
        ("orders holding more or fewer reserved/sold items than their quantity",
            "SELECT COUNT(*) FROM orders o LEFT JOIN (SELECT \"OrderId\" AS id, " +
            "SUM(CASE WHEN \"Status\" = 'Reserved' THEN 1 ELSE 0 END) AS r, SUM(CASE WHEN \"Status\" = 'Sold' THEN 1 ELSE 0 END) AS s " +
            "FROM listing_items WHERE \"OrderId\" IS NOT NULL GROUP BY \"OrderId\") c ON c.id = o.\"Id\" WHERE CASE " +
            $"WHEN o.\"Status\" IN ({Holding}) THEN (COALESCE(c.r, 0) <> o.\"Quantity\" OR COALESCE(c.s, 0) <> 0) " +
            "WHEN o.\"Status\" = 'Delivered' THEN (COALESCE(c.s, 0) < o.\"Quantity\" OR COALESCE(c.r, 0) <> 0) " +
            "ELSE COALESCE(c.r, 0) <> 0 END"),
    ];

    /// <summary>Every check with the rows breaking it (0 is a pass).</summary>
    public static async Task<List<(string Name, long Broken)>> RunAsync(DbConnection connection)
    {
        var results = new List<(string, long)>();
        foreach (var (name, sql) in Checks)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            results.Add((name, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return results;
    }

    public static string Describe(List<(string Name, long Broken)> results) =>
        results.All(r => r.Broken == 0)
            ? "pass"
            : "FAIL: " + string.Join("; ", results.Where(r => r.Broken > 0).Select(r => $"{r.Broken} {r.Name}"));
}
