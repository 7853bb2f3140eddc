using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Marketplace.Bench.Hosting;

/// <summary>
/// Counts the SQL commands (round trips) Npgsql sends while it listens, through Npgsql's own activity
/// source: one activity per command or batch, with its text. A batch of several statements is one round
/// trip. COMMIT is not a command to Npgsql and is not counted here (one more round trip per transaction).
/// </summary>
public sealed partial class SqlCommandCounter : IDisposable
{
    private readonly ConcurrentDictionary<string, Tally> _byKind = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;

    public SqlCommandCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Total => _byKind.Values.Sum(t => t.Count);

    /// <summary>Commands by kind: how many, how many statements they carried, and their time from send to last row.</summary>
    public IReadOnlyList<(string Kind, int Count, int Statements, TimeSpan Time)> ByKind =>
        _byKind.Select(p => (p.Key, p.Value.Count, p.Value.Statements, TimeSpan.FromTicks(p.Value.Ticks))).OrderByDescending(t => t.Count).ToList();

    public void Reset() => _byKind.Clear();

    private void Record(Activity activity)
    {
        if (activity.GetTagItem("db.query.text") is not string sql) return; // a physical connection open, not a command
        var (kind, statements) = Classify(sql);
        var tally = _byKind.GetOrAdd(kind, _ => new Tally());
        Interlocked.Increment(ref tally.Count);
        Interlocked.Add(ref tally.Statements, statements);
        Interlocked.Add(ref tally.Ticks, activity.Duration.Ticks);
    }

    /// <summary>"SELECT orders", "UPDATE orders", "batch: INSERT incoming_payments, ..."...: verb and first table of the first statement; how many statements.</summary>
    public static (string Kind, int Statements) Classify(string sql)
    {
        var statements = sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = statements.FirstOrDefault() ?? sql;
        var verb = first.Split((char[])[' ', '\n', '\r', '\t'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToUpperInvariant() ?? "?";
        var table = TablePattern().Match(first) is { Success: true } match ? match.Groups[1].Value : "";
        var label = $"{verb} {table}".Trim();
        if (verb == "UPDATE" && first.Contains("\"Version\" = o.\"Version\"", StringComparison.Ordinal)) label = "UPDATE orders (row lock, no-op)";
        if (verb == "INSERT" && first.Contains("ON CONFLICT", StringComparison.Ordinal)) label += " (upsert)";
        return statements.Length > 1 ? ($"batch of statements, first: {label}", statements.Length) : (label, 1);
    }

    [GeneratedRegex("(?:FROM|INTO|UPDATE)\\s+\"?([a-z_]+)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex TablePattern();

    public void Dispose() => _listener.Dispose();

    private sealed class Tally
    {
        public int Count;
        public int Statements;
        public long Ticks;
    }
}
