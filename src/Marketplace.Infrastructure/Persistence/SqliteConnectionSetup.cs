using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// How the embedded SQLite database is used by many requests at once.
/// <list type="bullet">
/// <item>Write-ahead logging (set once at start-up, stored in the file): readers never wait for the writer
/// nor the writer for readers; one writer at a time, as before. Commits stay fully synchronous (durable).</item>
/// <item>SQLite's own busy handler on every connection: a writer that finds another writing waits in steps of
/// 1 to 100 ms inside SQLite, instead of Microsoft.Data.Sqlite's retry, which sleeps 150 ms at a time and gave
/// order placement a p99 near a second under load.</item>
/// </list>
/// </summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSetup Instance = new();

    /// <summary>As long as Microsoft.Data.Sqlite's default command timeout: a wait this long is a stuck writer, reported as an error.</summary>
    internal const int BusyTimeoutMilliseconds = 30_000;

    /// <summary>Native connections already set up (a pooled connection is opened many times, set up once).</summary>
    private static readonly ConditionalWeakTable<object, object> Prepared = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Prepare(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Prepare(connection);
        return Task.CompletedTask;
    }

    /// <summary>Switches the file to write-ahead logging; run at start-up, before anything else holds the file.</summary>
    public static async Task UseWriteAheadLogAsync(DbContext db, CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsSqlite()) return;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            // An in-memory database answers "memory": nothing to share, nothing to change.
            if (mode is not ("wal" or "memory"))
                throw new InvalidOperationException($"The SQLite database stayed in journal mode '{mode}' instead of WAL.");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Prepare(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || Prepared.TryGetValue(handle, out _)) return;
        using var command = sqlite.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}";
        command.ExecuteNonQuery();
        Prepared.AddOrUpdate(handle, handle);
    }
}
