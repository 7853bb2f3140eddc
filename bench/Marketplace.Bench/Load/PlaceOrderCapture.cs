using System.Globalization;
using System.Text;
using Npgsql;

namespace Marketplace.Bench.Load;

/// <summary>The order a capture placed through the API: its listing, buyer and id, and the listing's seller and wallet.</summary>
public sealed record PlacedOrder(Guid ListingId, Guid BuyerId, Guid OrderId, Guid SellerId, Guid WalletId);

/// <summary>
/// Captures the SQL the service sends for one POST /orders, from PostgreSQL's own statement log, so the
/// pgbench comparison follows the code: statement logging is switched on (ALTER SYSTEM, reload) while a few
/// orders are placed one at a time on an otherwise idle service; each placement's statements are those of
/// the backends that saw its listing, buyer, order, seller or wallet id (EF Core may run each query on another
/// pooled connection), from the first of them (the session check) to the COMMIT after the order's INSERT. Background jobs can share those pooled connections in between, so
/// several placements are captured and the sequence most of them show is kept.
/// </summary>
public static class PlaceOrderCapture
{
    public static async Task<(List<LoggedStatement> Statements, PlacedOrder Order)> CaptureAsync(
        string adminConnectionString, string database, string logFile, Func<Task<PlacedOrder>> placeOrder, int placements = 5)
    {
        await SetLoggingAsync(adminConnectionString, on: true);
        var captures = new List<(List<LoggedStatement> Statements, PlacedOrder Order)>();
        try
        {
            for (var i = 0; i < placements; i++)
            {
                var before = new FileInfo(logFile).Length;
                var order = await placeOrder();
                await Task.Delay(300); // the log is written as the backends go; let the COMMIT line land
                var statements = StatementLog.Parse(ReadFrom(logFile, before), database);
                captures.Add((Extract(statements, order), order));
            }
        }
        finally
        {
            await SetLoggingAsync(adminConnectionString, on: false);
        }

        static string Key(List<LoggedStatement> s) => string.Join("\n;\n", s.Select(x => x.Sql));
        var usable = captures.Where(c => c.Statements.Count > 0).ToList();
        if (usable.Count == 0) throw new InvalidOperationException("No placement transaction was found in the statement log.");
        var common = usable.GroupBy(c => Key(c.Statements)).OrderByDescending(g => g.Count()).ThenBy(g => g.First().Statements.Count).First();
        return common.Last();
    }

    private static async Task SetLoggingAsync(string adminConnectionString, bool on)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        foreach (var sql in on
                     ? new[] { "ALTER SYSTEM SET log_statement = 'all'", $"ALTER SYSTEM SET log_line_prefix = '{StatementLog.LinePrefix}'", "SELECT pg_reload_conf()" }
                     : ["ALTER SYSTEM RESET log_statement", "ALTER SYSTEM RESET log_line_prefix", "SELECT pg_reload_conf()"])
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        // Backends re-read the configuration before their next command; the postmaster needs a moment to signal them.
        await Task.Delay(500);
    }

    private static string ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static List<LoggedStatement> Extract(List<LoggedStatement> statements, PlacedOrder order)
    {
        var ids = new[] { order.ListingId, order.BuyerId, order.OrderId, order.SellerId, order.WalletId }.Select(g => g.ToString()).ToArray();
        bool Mentions(LoggedStatement s) =>
            ids.Any(id => s.Sql.Contains(id, StringComparison.OrdinalIgnoreCase) || s.Parameters.Any(p => p.Contains(id, StringComparison.OrdinalIgnoreCase)));
        var pids = statements.Where(Mentions).Select(s => s.Pid).ToHashSet();
        var ours = statements.Where(s => pids.Contains(s.Pid)).ToList();
        var first = ours.FindIndex(Mentions);
        var insert = ours.FindIndex(s => s.Sql.Contains("INSERT INTO orders", StringComparison.OrdinalIgnoreCase)
                                         || s.Sql.Contains("INSERT INTO \"orders\"", StringComparison.OrdinalIgnoreCase));
        if (first < 0 || insert < 0) return [];
        // A placement in one statement (no explicit transaction) ends with its insert.
        var commit = ours.FindIndex(insert, s => s.Sql.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase));
        var last = commit < 0 ? insert : commit;
        return ours.GetRange(first, last - first + 1);
    }
}

/// <summary>
/// A pgbench script from a captured placement: the same statements, in the same order, with the values that
/// vary per order replaced so that every pgbench transaction places a real, distinct order:
/// the listing (random among the scenario's, from the helper table bench_listings, with its seller, wallet and
/// wallet account), the buyer and its session (bench_buyers, by pgbench client), the order id and payment comment
/// (random per transaction), the reserved item (read by the script's own item SELECT, \gset), other fresh ids
/// (random), and times (now() plus the captured offset from the order's creation). Every other parameter stays the
/// captured literal, cast to the type PostgreSQL infers for it.
/// </summary>
public sealed class PgbenchScript
{
    public const string ListingsTable = "bench_listings";
    public const string BuyersTable = "bench_buyers";
    private const string RandomMax = "4611686018427387903";

    private PgbenchScript(string body, IReadOnlyList<string> statements, IReadOnlyList<string> substitutions)
    {
        Body = body;
        Statements = statements;
        Substitutions = substitutions;
    }

    /// <summary>The statements, one line each (shortened), as the report lists them.</summary>
    public IReadOnlyList<string> Statements { get; }

    /// <summary>What was put in place of which captured value.</summary>
    public IReadOnlyList<string> Substitutions { get; }

    private string Body { get; }

    /// <summary>The script for listings 0..listings-1 of bench_listings (1: the hot listing alone) and buyers 0..buyers-1.</summary>
    public string For(int listings, int buyers) =>
        $"\\set l {(listings == 1 ? "0" : $"random(0, {listings - 1})")}\n\\set b :client_id % {buyers}\n" + Body;

    public static async Task<PgbenchScript> BuildAsync(NpgsqlDataSource db, IReadOnlyList<LoggedStatement> captured, PlacedOrder order)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var described = new List<string>();
        void Map(object? value, string expression, string what)
        {
            if (value is null) return;
            var text = value switch { Guid g => g.ToString(), _ => Convert.ToString(value, CultureInfo.InvariantCulture)! };
            if (map.TryAdd(text, expression)) described.Add($"{what} → {expression}");
        }

        Map(order.ListingId, $"(SELECT listing_id FROM {ListingsTable} WHERE n = :l)", "listing id");
        Map(order.BuyerId, $"(SELECT account_id FROM {BuyersTable} WHERE n = :b)", "buyer id");
        var listing = await RowAsync(db, "SELECT \"SellerId\", \"WalletId\" FROM listings WHERE \"Id\" = $1", order.ListingId);
        Map(listing[0], $"(SELECT seller_id FROM {ListingsTable} WHERE n = :l)", "seller id");
        Map(listing[1], $"(SELECT wallet_id FROM {ListingsTable} WHERE n = :l)", "wallet id");
        var wallet = await RowAsync(db, "SELECT \"Account\" FROM wallets WHERE \"Id\" = $1", listing[1]!);
        Map(wallet[0], $"(SELECT account FROM {ListingsTable} WHERE n = :l)", "wallet account");
        foreach (var session in await ColumnAsync(db, "SELECT \"Id\" FROM sessions WHERE \"AccountId\" = $1", order.BuyerId))
            Map(session, $"(SELECT session_id FROM {BuyersTable} WHERE n = :b)", "buyer's session id");
        var placed = await RowAsync(db, "SELECT \"PaymentComment\", \"CreatedAt\" FROM orders WHERE \"Id\" = $1", order.OrderId);
        Map(order.OrderId, Uuid("o"), "order id (random per transaction)");
        Map(placed[0], "upper(substr(md5(:o_hi::text || 'comment' || :o_lo::text), 1, 10))", "payment comment (random per transaction)");
        var createdAt = (DateTime)placed[1]!;
        var items = await ColumnAsync(db, "SELECT \"Id\" FROM listing_items WHERE \"OrderId\" = $1", order.OrderId);
        foreach (var item in items) Map(item, ":item_Id", "reserved item id (from the script's own item SELECT)");

        var fresh = 0;
        var randomVars = new List<string> { "o" };
        var lines = new List<string>();
        var shown = new List<string>();
        var itemSelectMarked = false;
        for (var i = 0; i < captured.Count; i++)
        {
            var statement = captured[i];
            var types = statement.Parameters.Count == 0 ? null : await ParameterTypesAsync(db, statement.Sql);
            var values = new string[statement.Parameters.Count];
            for (var p = 0; p < values.Length; p++)
            {
                var literal = statement.Parameters[p];
                var type = types is not null && p < types.Length ? types[p] : null;
                var value = StatementLog.Unquote(literal);
                string expression;
                if (value is null) expression = type is null ? "NULL" : $"NULL::{type}";
                else if (map.TryGetValue(value, out var mapped)) expression = mapped;
                else if (type == "uuid")
                {
                    var name = $"u{++fresh}";
                    randomVars.Add(name);
                    map[value] = expression = Uuid(name);
                    described.Add($"another id in the statements → random per transaction ({name})");
                }
                else if (type is "timestamp with time zone" or "timestamp without time zone"
                         && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
                {
                    var micros = (long)Math.Round((at - createdAt).TotalMicroseconds);
                    expression = $"(now() + interval '{micros} microseconds')::{type}";
                }
                else expression = type is null ? literal : $"{literal}::{type}";

                values[p] = expression;
            }

            var sql = System.Text.RegularExpressions.Regex.Replace(statement.Sql, @"\$(\d+)",
                m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is var n && n >= 1 && n <= values.Length ? $"({values[n - 1]})" : m.Value);
            // An id written into the statement's text rather than sent as a parameter varies the same way.
            foreach (var (value, expression) in map)
                if (Guid.TryParse(value, out _)) sql = sql.Replace($"'{value}'", $"({expression})", StringComparison.OrdinalIgnoreCase);
            // pgbench reads a command up to its semicolon; the captured text has none at its end.
            var reads = !itemSelectMarked && items.Count > 0 && statement.Sql.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                                                              && statement.Sql.Contains("FROM listing_items", StringComparison.OrdinalIgnoreCase);
            if (reads)
            {
                itemSelectMarked = true;
                lines.Add(sql + "\n\\gset item_");
            }
            else lines.Add(sql.TrimEnd().TrimEnd(';') + ";");

            shown.Add(OneLine(statement.Sql));
        }

        var header = new StringBuilder();
        header.AppendLine("-- One order placement, as the service sent it (captured from PostgreSQL's statement log).");
        foreach (var name in randomVars)
            header.AppendLine(CultureInfo.InvariantCulture, $"\\set {name}_hi random(0, {RandomMax})").AppendLine(CultureInfo.InvariantCulture, $"\\set {name}_lo random(0, {RandomMax})");
        return new PgbenchScript(header + string.Join("\n", lines) + "\n", shown, described);
    }

    /// <summary>A random uuid from two pgbench random numbers: the same value in every statement of one transaction.</summary>
    private static string Uuid(string name) =>
        $"(lpad(to_hex(:{name}_hi::bigint), 16, '0') || lpad(to_hex(:{name}_lo::bigint), 16, '0'))::uuid";

    private static string OneLine(string sql)
    {
        var flat = System.Text.RegularExpressions.Regex.Replace(sql, @"\s+", " ");
        return flat.Length <= 140 ? flat : flat[..137] + "...";
    }

    /// <summary>The parameter types PostgreSQL infers for a statement (PREPARE, then pg_prepared_statements); null when it cannot prepare it alone.</summary>
    private static async Task<string[]?> ParameterTypesAsync(NpgsqlDataSource db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync();
        try
        {
            await using (var prepare = new NpgsqlCommand($"PREPARE bench_capture AS {sql}", connection)) await prepare.ExecuteNonQueryAsync();
            await using var read = new NpgsqlCommand("SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = 'bench_capture'", connection);
            var types = (string[]?)await read.ExecuteScalarAsync();
            await using (var deallocate = new NpgsqlCommand("DEALLOCATE bench_capture", connection)) await deallocate.ExecuteNonQueryAsync();
            return types;
        }
        catch (PostgresException)
        {
            return null;
        }
    }

    private static async Task<object?[]> RowAsync(NpgsqlDataSource db, string sql, object parameter)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException($"No row for {sql} ({parameter}).");
        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return row;
    }

    private static async Task<List<object>> ColumnAsync(NpgsqlDataSource db, string sql, object parameter)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<object>();
        while (await reader.ReadAsync()) values.Add(reader.GetValue(0));
        return values;
    }
}
