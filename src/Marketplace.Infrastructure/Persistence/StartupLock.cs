using Microsoft.EntityFrameworkCore;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// One instance at a time through start-up's database work (migrations, the mode marker, the secret-key
/// registry, the token key ring). Instances started together on a fresh PostgreSQL database would
/// otherwise run the same migrations at once, and all but one fail ("column already exists").
/// A session-level advisory lock on the context's connection, held until disposed; SQLite serves one
/// process and needs none.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>An arbitrary, fixed advisory-lock number for "starting up".</summary>
    private const long LockId = 0x4D61_726B_5374_6172;

    private readonly ApplicationDbContext? _db;

    private StartupLock(ApplicationDbContext? db) => _db = db;

    public static async Task<StartupLock> AcquireAsync(ApplicationDbContext db, CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsNpgsql()) return new StartupLock(null);
        // Kept open so that EF Core runs the migrations on this session, the one holding the lock.
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockId})", cancellationToken);
        return new StartupLock(db);
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is null) return;
        try
        {
            // Closing the session would release it too; unlocking first keeps a pooled connection clean.
            await _db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockId})");
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
        {
            // A start-up that failed may leave the session unusable; the error that matters is the one already thrown.
            Npgsql.NpgsqlConnection.ClearPool((Npgsql.NpgsqlConnection)_db.Database.GetDbConnection());
        }

        await _db.Database.CloseConnectionAsync();
    }
}
