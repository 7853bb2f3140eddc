using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Marketplace.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Which database, from configuration: <c>Database:Provider</c> (Sqlite, the embedded default,
/// or PostgreSql) and <c>ConnectionStrings:Marketplace</c>. Each provider has its own migrations
/// assembly under migrations/. <c>Database:SqliteWriteQueue</c> (default true): SQLite transactions of the process
/// queue in arrival order (<see cref="SqliteWriteGate"/>) instead of polling in SQLite's busy handler.
/// </summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString, bool SqliteWriteQueue = true)
{
    public const string DefaultSqliteConnectionString = "Data Source=data/marketplace.db";

    public static DatabaseOptions From(IConfiguration configuration)
    {
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = configuration.GetConnectionString("Marketplace");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? DefaultSqliteConnectionString
                : throw new InvalidOperationException("ConnectionStrings:Marketplace is required for PostgreSql.");
        }

        return new DatabaseOptions(provider, connectionString, configuration.GetValue("Database:SqliteWriteQueue", true));
    }

    public string MigrationsAssembly => Provider == DatabaseProvider.Sqlite
        ? "Marketplace.Migrations.Sqlite"
        : "Marketplace.Migrations.PostgreSql";

    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            options.UseSqlite(ConnectionString, sqlite => sqlite.MigrationsAssembly(MigrationsAssembly)).AddInterceptors(SqliteConnectionSetup.Instance);
            if (SqliteWriteQueue) options.AddInterceptors(SqliteWriteGate.Instance);
        }
        else
            options.UseNpgsql(PooledConnectionString(ConnectionString), npgsql => npgsql.MigrationsAssembly(MigrationsAssembly));
    }

    /// <summary>
    /// EF Core opens and returns a pooled connection around every query, and by default Npgsql then resets it
    /// (<c>DISCARD ALL</c>, which also drops prepared statements). The service keeps no session state on a
    /// connection beyond a use (its settings are transaction-local, its temporary tables dropped on commit, its
    /// start-up advisory lock released), so the reset is skipped, and the statements a connection runs often are
    /// prepared once and reused (Npgsql's automatic preparation). A connection string that sets either keeps its
    /// own value (behind PgBouncer in transaction mode, set <c>Max Auto Prepare=0</c>).
    /// </summary>
    public static string PooledConnectionString(string connectionString)
    {
        // Npgsql's own builder knows every keyword (ContainsKey is true for all of them): ask the plain parser what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!written.Contains("noresetonclose")) builder.NoResetOnClose = true;
        if (!written.Contains("maxautoprepare")) builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Makes sure a file-based SQLite database exists, owner-only (0600, in a folder created 0700),
    /// before the first connection. SQLite gives its -wal and -shm files the database file's mode.
    /// A database file found readable by others is tightened, not trusted as it is.
    /// </summary>
    public void EnsureStorageExists()
    {
        if (Provider != DatabaseProvider.Sqlite) return;
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString);
        if (builder.DataSource is not { Length: > 0 } file || file == ":memory:" || builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
            return;
        RuntimeFiles.EnsureOwnerOnlyFile(Path.GetFullPath(file));
    }
}
