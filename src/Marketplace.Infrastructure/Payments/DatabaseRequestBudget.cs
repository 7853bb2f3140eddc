using System.Data.Common;
using System.Globalization;
using Marketplace.Application.Payments.Rails;
using Marketplace.Infrastructure.Persistence;
using Marketplace.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Marketplace.Infrastructure.Payments;

/// <summary>
/// The request budget every instance of the service shares, in the database (<c>rail_request_budgets</c>,
/// one row per wallet key). An exact sliding window: a request is granted when the wallet is not blocked and
/// the request <c>limit</c> places back is older than the window. Each take is one atomic statement
/// (<c>INSERT ... ON CONFLICT DO UPDATE ... RETURNING</c>, the same text on PostgreSQL and SQLite 3.35+):
/// PostgreSQL serialises concurrent takes on the row lock and re-evaluates the update on the latest row,
/// SQLite serialises all writers, so two instances can never both take the last request of a window.
/// </summary>
public sealed class DatabaseRequestBudget(ApplicationDbContext db, TimeProvider clock) : ISharedRequestBudget
{
    private const int Width = RailRequestBudget.StampWidth;

    /// <summary>Keeps a row small: a limit of 1000 is already ten times QIWI's.</summary>
    public const int MaxLimit = 1000;

    private const string Columns = "(\"Key\", \"RecentRequests\", \"LastTakeGranted\", \"BlockedUntil\", \"UpdatedAt\")";

    // The row as it was before this statement is "b" throughout: in ON CONFLICT DO UPDATE both databases
    // evaluate every SET expression against the old row. The CASE guards the cast: PostgreSQL does not
    // promise to short-circuit OR, and a short log has no entry a limit back.
    private const string Granted =
        "((b.\"BlockedUntil\" IS NULL OR b.\"BlockedUntil\" <= @now) AND CASE WHEN length(b.\"RecentRequests\") < @limit * 13 THEN TRUE " +
        "ELSE CAST(substr(b.\"RecentRequests\", length(b.\"RecentRequests\") - @limit * 13 + 1, 13) AS BIGINT) <= @cutoff END)";

    // The newest limit - 1 entries, to which this request's stamp is appended.
    private const string Kept =
        "CASE WHEN length(b.\"RecentRequests\") > (@limit - 1) * 13 " +
        "THEN substr(b.\"RecentRequests\", length(b.\"RecentRequests\") - (@limit - 1) * 13 + 1) ELSE b.\"RecentRequests\" END";

    private static readonly string TakeSql =
        $"INSERT INTO {RailRequestBudgetConfiguration.Table} AS b {Columns} VALUES (@key, @stamp, TRUE, NULL, @now) " +
        $"ON CONFLICT (\"Key\") DO UPDATE SET \"RecentRequests\" = CASE WHEN {Granted} THEN {Kept} || @stamp ELSE b.\"RecentRequests\" END, " +
        $"\"LastTakeGranted\" = {Granted}, \"UpdatedAt\" = @now " +
        "RETURNING \"RecentRequests\", \"LastTakeGranted\", \"BlockedUntil\"";

    private static readonly string BlockSql =
        $"INSERT INTO {RailRequestBudgetConfiguration.Table} AS b {Columns} VALUES (@key, '', FALSE, @until, @now) " +
        "ON CONFLICT (\"Key\") DO UPDATE SET \"BlockedUntil\" = CASE WHEN b.\"BlockedUntil\" IS NULL OR b.\"BlockedUntil\" < @until " +
        "THEN @until ELSE b.\"BlockedUntil\" END, \"UpdatedAt\" = @now";

    public async Task<DateTimeOffset?> TryTakeAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        CheckKey(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);

        var now = clock.GetUtcNow();
        var (recent, granted, blockedUntil) = await ExecuteAsync(TakeSql, command =>
        {
            Add(command, "@key", key);
            Add(command, "@stamp", Stamp(now));
            Add(command, "@limit", limit);
            Add(command, "@cutoff", (now - window).ToUnixTimeMilliseconds());
            AddTime(command, "@now", now);
        }, cancellationToken);
        if (granted) return null;
        if (blockedUntil is { } until && until > now) return until;
        // Refused by the window: it opens again when the request a limit back leaves it.
        var start = recent.Length - limit * Width;
        return start >= 0 && long.TryParse(recent.AsSpan(start, Width), NumberStyles.None, CultureInfo.InvariantCulture, out var oldest)
            ? DateTimeOffset.FromUnixTimeMilliseconds(oldest) + window
            : now + window;
    }

    public async Task BlockAsync(string key, DateTimeOffset until, CancellationToken cancellationToken)
    {
        CheckKey(key);
        await ExecuteAsync(BlockSql, command =>
        {
            Add(command, "@key", key);
            AddTime(command, "@until", until.ToUniversalTime());
            AddTime(command, "@now", clock.GetUtcNow());
        }, cancellationToken, read: false);
    }

    public async Task<DateTimeOffset?> BlockedUntilAsync(string key, CancellationToken cancellationToken)
    {
        var until = await db.RailRequestBudgets.AsNoTracking()
            .Where(b => b.Key == key)
            .Select(b => b.BlockedUntil)
            .FirstOrDefaultAsync(cancellationToken);
        return until > clock.GetUtcNow() ? until : null;
    }

    /// <summary>Fixed-width Unix milliseconds, so entries can be cut out by position and compared as numbers.</summary>
    private static string Stamp(DateTimeOffset at) =>
        Math.Max(0, at.ToUnixTimeMilliseconds()).ToString("D" + Width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void CheckKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(key.Length, RailRequestBudgetConfiguration.MaxKeyLength, nameof(key));
    }

    private async Task<(string Recent, bool Granted, DateTimeOffset? BlockedUntil)> ExecuteAsync(
        string sql, Action<DbCommand> parameters, CancellationToken cancellationToken, bool read = true)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            parameters(command);
            if (!read)
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
                return ("", false, null);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) throw new InvalidOperationException("The request budget upsert returned no row.");
            return (reader.GetString(0), Convert.ToBoolean(reader.GetValue(1), CultureInfo.InvariantCulture),
                await reader.IsDBNullAsync(2, cancellationToken) ? null : ReadTime(reader, 2));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Times go in as the model stores them: on SQLite a sortable integer (the context's converter), on PostgreSQL timestamptz.</summary>
    private void AddTime(DbCommand command, string name, DateTimeOffset value) =>
        command.Parameters.Add(BlockedUntilMapping.CreateParameter(command, name, value, nullable: false));

    private DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        BlockedUntilMapping.Converter is { } converter
            ? (DateTimeOffset)converter.ConvertFromProvider(reader.GetValue(ordinal))!
            : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private RelationalTypeMapping BlockedUntilMapping =>
        db.Model.FindEntityType(typeof(RailRequestBudget))!.FindProperty(nameof(RailRequestBudget.BlockedUntil))!.GetRelationalTypeMapping();
}
