using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// Queues this process's SQLite transactions for a database file in arrival order. Microsoft.Data.Sqlite begins
/// every transaction with <c>BEGIN IMMEDIATE</c> (the file's one write lock), so they run one at a time anyway; without
/// the queue, the waiting ones poll in SQLite's busy handler, whose sleeps grow to 100 ms: a transaction that
/// arrives early may wake late, and the slowest order placements waited several times their share. Here each waits
/// for the one before it and starts the moment it ends.
/// <para>The place is released when the transaction commits, rolls back or fails, and also when its connection
/// closes (EF Core reports no event for a transaction disposed without either). A wait longer than the busy
/// timeout gives up the queue and leaves the decision to SQLite's busy handler, so a nested transaction on a second
/// connection ends in SQLite's busy error, as before, never in a hang.</para>
/// </summary>
public sealed class SqliteWriteGate : DbTransactionInterceptor, IDbConnectionInterceptor
{
    public static readonly SqliteWriteGate Instance = new();

    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(SqliteConnectionSetup.BusyTimeoutMilliseconds);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DbConnection, SemaphoreSlim> _held = new();

    /// <summary>Whether a transaction of this process holds the file's place now (for tests and diagnostics).</summary>
    public bool IsTaken(string dataSource) => _gates.TryGetValue(dataSource, out var gate) && gate.CurrentCount == 0;

    public override InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        if (GateOf(connection) is { } gate && gate.Wait(MaxWait)) _held.AddOrUpdate(connection, gate);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default)
    {
        if (GateOf(connection) is { } gate && await gate.WaitAsync(MaxWait, cancellationToken)) _held.AddOrUpdate(connection, gate);
        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(ConnectionOf(eventData));

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(ConnectionOf(eventData));
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(ConnectionOf(eventData));

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(ConnectionOf(eventData));
        return Task.CompletedTask;
    }

    /// <summary>A failed begin, commit or rollback: SQLite has no open transaction of ours left to wait for.</summary>
    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(ConnectionOf(eventData));

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(ConnectionOf(eventData));
        return Task.CompletedTask;
    }

    InterceptionResult IDbConnectionInterceptor.ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return result;
    }

    ValueTask<InterceptionResult> IDbConnectionInterceptor.ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return ValueTask.FromResult(result);
    }

    InterceptionResult IDbConnectionInterceptor.ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return result;
    }

    ValueTask<InterceptionResult> IDbConnectionInterceptor.ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return ValueTask.FromResult(result);
    }

    private SemaphoreSlim? GateOf(DbConnection connection) =>
        connection is SqliteConnection { DataSource: { Length: > 0 } file } && file != ":memory:"
            ? _gates.GetOrAdd(file, _ => new SemaphoreSlim(1, 1))
            : null;

    /// <summary>The transaction's connection (the transaction itself forgets it once committed).</summary>
    private static DbConnection? ConnectionOf(TransactionEventData eventData) => eventData.Context?.Database.GetDbConnection();

    private void Release(DbConnection? connection)
    {
        if (connection is not null && _held.TryGetValue(connection, out var gate) && _held.Remove(connection)) gate.Release();
    }
}
