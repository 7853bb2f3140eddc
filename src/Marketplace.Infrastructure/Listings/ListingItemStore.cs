using System.Data;
using System.Data.Common;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace Marketplace.Infrastructure.Listings;

/// <summary>
/// Set-based intake of keys. The batch goes into a temporary staging table (PostgreSQL: binary COPY; SQLite:
/// one prepared insert reused), then one <c>INSERT ... SELECT ... ON CONFLICT DO NOTHING</c> moves every key
/// that is not already the listing's, the seller's or sold on the marketplace; the unique indexes, not this
/// code, decide under concurrency (a key a parallel upload inserted first is skipped here). The rows left
/// behind are classified by reason, and the stock counter rises once by the number inserted, in the same
/// transaction (ADR 0003): the counter always equals the available rows.
/// </summary>
internal sealed class ListingItemStore(ApplicationDbContext db, CatalogChanges catalog, ILogger<ListingItemStore> logger)
    : IListingItemStore
{
    private const string Staging = "item_import";

    /// <summary>PostgreSQL: the ids a chunk's insert added, so the classification need not look them up in listing_items.</summary>
    private const string Added = "item_import_added";
    private const string Available = "Available";
    private const string Sold = "Sold";

    /// <summary>An import is bounded (100,000 keys), but on a busy server its set-based statements outlast the default 30 s.</summary>
    private const int CommandTimeoutSeconds = 300;

    public async Task<ItemStoreResult> AddAsync(Guid listingId, Guid sellerId, IAsyncEnumerable<IReadOnlyList<PreparedItem>> chunks,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        // No retrying strategy is configured (the chunks can be read only once); this one runs the block once.
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            var steps = new StepTimer();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var dbTransaction = transaction.GetDbTransaction();
            var postgres = db.Database.IsNpgsql();

            await ExecuteAsync(connection, dbTransaction, postgres
                ? $"CREATE TEMP TABLE {Staging} (line integer NOT NULL, id uuid NOT NULL, payload text NOT NULL, fingerprint varchar(64) NOT NULL, key_hash varchar(64) NOT NULL) ON COMMIT DROP; " +
                  $"CREATE TEMP TABLE {Added} (id uuid NOT NULL) ON COMMIT DROP"
                : $"DROP TABLE IF EXISTS temp.{Staging}; CREATE TEMP TABLE {Staging} (line INTEGER NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL, fingerprint TEXT NOT NULL, key_hash TEXT NOT NULL)",
                [], ct);
            // For this transaction only. JIT: the classification's cost estimate passes jit_above_cost, and compiling it took
            // longer (1.6 s for 100,000 keys) than running it. work_mem: the insert sorts each chunk by line in memory.
            if (postgres) await ExecuteAsync(connection, dbTransaction, "SET LOCAL jit = off; SET LOCAL work_mem = '16MB'", [], ct);

            var createdAt = postgres ? (object)now.ToUniversalTime() : new DateTimeOffsetToBinaryConverter().ConvertToProvider(now)!;
            object Id(Guid id) => postgres ? id : id.ToString().ToUpperInvariant();
            var added = 0;
            var staged = 0;
            var rejected = new List<ItemRejection>();
            steps.Mark("begin");
            // Chunk by chunk as the preparer hands them over: while the database inserts one, the next is being hashed.
            await foreach (var items in chunks.WithCancellation(ct))
            {
                if (items.Count == 0) continue;
                steps.Mark("waiting for keys");
                staged += items.Count;
                if (postgres)
                {
                    await CopyIntoStagingAsync((NpgsqlConnection)connection, items, ct);
                    steps.Mark("copy");
                    // A temporary table has no statistics until analysed: without them the planner guesses a few rows and
                    // may probe listing_items row by row; with them it joins by hash. Once: the truncated table keeps them,
                    // and every chunk looks alike.
                    if (staged == items.Count)
                    {
                        await ExecuteAsync(connection, dbTransaction, $"ANALYZE {Staging}", [], ct);
                        steps.Mark("analyse");
                    }
                }
                else
                {
                    await InsertIntoStagingAsync(connection, dbTransaction, items, ct);
                    steps.Mark("stage");
                }

                var insert = $"""
                    INSERT INTO listing_items ("Id", "ListingId", "SellerId", "EncryptedPayload", "Fingerprint", "KeyHash", "Status", "CreatedAt")
                    SELECT s.id, @listing, @seller, s.payload, s.fingerprint, s.key_hash, '{Available}', @now
                    FROM {Staging} s
                    WHERE NOT EXISTS (SELECT 1 FROM listing_items i WHERE i."KeyHash" = s.key_hash AND i."Status" = '{Sold}')
                    ORDER BY s.line
                    ON CONFLICT DO NOTHING
                    """;
                // PostgreSQL counts the rows the outer insert wrote, one per row added to listing_items.
                var inserted = await ExecuteAsync(connection, dbTransaction,
                    postgres ? $"""WITH inserted AS ({insert} RETURNING "Id") INSERT INTO {Added} SELECT "Id" FROM inserted""" : insert, [("listing", Id(listingId)), ("seller", Id(sellerId)), ("now", createdAt)], ct);
                added += inserted;
                steps.Mark("insert");

                // Every staged key became a row: nothing was left behind to classify.
                if (inserted < items.Count)
                {
                    rejected.AddRange(await RejectedAsync(connection, dbTransaction, Id(listingId), Id(sellerId), postgres, ct));
                    steps.Mark("classify");
                }

                await ExecuteAsync(connection, dbTransaction, postgres ? $"TRUNCATE {Staging}, {Added}" : $"DELETE FROM temp.{Staging}", [], ct);
                steps.Mark("truncate");
            }

            var stock = Convert.ToInt32(await ScalarAsync(connection, dbTransaction,
                """UPDATE listings SET "AvailableCount" = "AvailableCount" + @added WHERE "Id" = @listing RETURNING "AvailableCount" """,
                [("added", added), ("listing", Id(listingId))], ct), System.Globalization.CultureInfo.InvariantCulture);
            catalog.Written(dbTransaction); // raw SQL: the catalog's interceptor does not see it
            if (!postgres) await ExecuteAsync(connection, dbTransaction, $"DROP TABLE temp.{Staging}", [], ct);
            steps.Mark("count");
            await transaction.CommitAsync(ct);
            steps.Mark("commit");
            logger.LogDebug("Listing {ListingId}: stored {Count} keys: {Steps}", listingId, staged, steps);
            return new ItemStoreResult(added, rejected, stock);
        }, cancellationToken);
    }

    /// <summary>
    /// Staged keys that did not become rows, and why. A key sold anywhere wins over one the seller merely holds. Every probe
    /// is led by the key hash, whose estimates stay right whatever the statistics: probes led by the listing id, planned on
    /// statistics taken before the listing had rows, scanned the whole listing once per key (a repeat upload of 100,000
    /// keys took two minutes). The fingerprint probe remains for rows stored before key hashes existed, and runs only for
    /// keys the hash did not place in this listing.
    /// </summary>
    private static async Task<List<ItemRejection>> RejectedAsync(DbConnection connection, DbTransaction transaction, object listingId,
        object sellerId, bool postgres, CancellationToken cancellationToken)
    {
        // Left behind: not among the chunk's added ids (PostgreSQL), not a row of listing_items (SQLite, which cannot insert from a RETURNING).
        var added = postgres ? $"SELECT 1 FROM {Added} a WHERE a.id = s.id" : """SELECT 1 FROM listing_items i WHERE i."Id" = s.id""";
        // The sold keys among the staged ones: one join, materialised, not a correlated EXISTS per key.
        await using var command = Command(connection, transaction, $"""
            WITH sold AS {(postgres ? "MATERIALIZED " : "")}(
                SELECT DISTINCT i."KeyHash" AS key_hash FROM {Staging} st JOIN listing_items i ON i."KeyHash" = st.key_hash WHERE i."Status" = '{Sold}')
            SELECT s.line, CASE
                WHEN EXISTS (SELECT 1 FROM sold WHERE sold.key_hash = s.key_hash) THEN '{ItemRejectionReasons.PreviouslySold}'
                WHEN mine."ListingId" = @listing THEN '{ItemRejectionReasons.AlreadyInListing}'
                WHEN EXISTS (SELECT 1 FROM listing_items i WHERE i."ListingId" = @listing AND i."Fingerprint" = s.fingerprint AND i."Id" <> s.id)
                    THEN '{ItemRejectionReasons.AlreadyInListing}'
                ELSE '{ItemRejectionReasons.InOtherListing}' END
            FROM {Staging} s
            LEFT JOIN listing_items mine ON mine."KeyHash" = s.key_hash AND mine."SellerId" = @seller AND mine."Id" <> s.id
            WHERE NOT EXISTS ({added})
            ORDER BY s.line
            """, [("listing", listingId), ("seller", sellerId)]);
        var rejected = new List<ItemRejection>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rejected.Add(new ItemRejection(reader.GetInt32(0), reader.GetString(1)));
        return rejected;
    }

    private static async Task CopyIntoStagingAsync(NpgsqlConnection connection, IReadOnlyList<PreparedItem> items, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {Staging} (line, id, payload, fingerprint, key_hash) FROM STDIN (FORMAT BINARY)", cancellationToken);
        writer.Timeout = TimeSpan.FromSeconds(CommandTimeoutSeconds);
        foreach (var item in items)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(item.Line, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(item.Id, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(item.EncryptedPayload, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(item.Fingerprint, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(item.KeyHash, NpgsqlDbType.Varchar, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>SQLite has no COPY; one prepared statement in the open transaction is its fast path.</summary>
    private static async Task InsertIntoStagingAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PreparedItem> items,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            $"INSERT INTO {Staging} (line, id, payload, fingerprint, key_hash) VALUES (@line, @id, @payload, @fingerprint, @key_hash)",
            [("line", 0), ("id", ""), ("payload", ""), ("fingerprint", ""), ("key_hash", "")]);
        await command.PrepareAsync(cancellationToken);
        foreach (var item in items)
        {
            command.Parameters["@line"].Value = item.Line;
            command.Parameters["@id"].Value = item.Id.ToString().ToUpperInvariant();
            command.Parameters["@payload"].Value = item.EncryptedPayload;
            command.Parameters["@fingerprint"].Value = item.Fingerprint;
            command.Parameters["@key_hash"].Value = item.KeyHash;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql,
        (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql,
        (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = CommandTimeoutSeconds;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Milliseconds per step of one intake, summed over its chunks, for the Debug log line.</summary>
    private sealed class StepTimer
    {
        private readonly List<(string Step, TimeSpan Time)> _steps = [];
        private long _last = System.Diagnostics.Stopwatch.GetTimestamp();

        public void Mark(string step)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_last, now);
            _last = now;
            var index = _steps.FindIndex(s => s.Step == step);
            if (index < 0) _steps.Add((step, elapsed));
            else _steps[index] = (step, _steps[index].Time + elapsed);
        }

        public override string ToString() => string.Join(", ", _steps.Select(s => $"{s.Step} {(long)s.Time.TotalMilliseconds} ms"));
    }
}
