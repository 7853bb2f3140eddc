using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Marketplace.Bench.Hosting;

/// <summary>
/// The PostgreSQL server the benchmark runs on: the one named by <c>--postgres</c> or MARKETPLACE_TEST_POSTGRES
/// (a server where it may create databases), else a throwaway cluster from the machine's PostgreSQL
/// binaries (initdb + pg_ctl, as the integration tests start one), deleted afterwards. Unlike the tests'
/// cluster it keeps PostgreSQL's durable defaults (fsync, synchronous_commit) unless asked otherwise,
/// so commits cost what they cost in production on this disk.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string EnvironmentVariable = "MARKETPLACE_TEST_POSTGRES";

    private readonly LocalCluster? _local;

    private PostgresCluster(string adminConnectionString, string source, LocalCluster? local)
    {
        AdminConnectionString = adminConnectionString;
        Source = source;
        _local = local;
    }

    public string AdminConnectionString { get; }

    /// <summary>Where the server came from, and its durability settings when this process started it.</summary>
    public string Source { get; }

    public static async Task<PostgresCluster> StartAsync(string? connectionString, bool durable)
    {
        if ((connectionString ?? Environment.GetEnvironmentVariable(EnvironmentVariable)) is { Length: > 0 } configured)
            return new PostgresCluster(configured, connectionString is null ? EnvironmentVariable : "--postgres", null);

        var local = await LocalCluster.StartAsync(durable);
        return new PostgresCluster(local.ConnectionString,
            "throwaway local cluster, " + (durable ? "fsync and synchronous_commit on (PostgreSQL defaults)" : "fsync=off, synchronous_commit=off (as the tests)"),
            local);
    }

    /// <summary>The postmaster's process id when this run started the cluster (for <see cref="Reporting.CpuMeter"/>).</summary>
    public int? PostmasterPid => _local?.PostmasterPid;

    /// <summary>The server's log (its stderr) when this run started the cluster; null for a server named by connection string.</summary>
    public string? LogFile => _local?.LogFile;

    public async Task<string> VersionAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return "PostgreSQL " + await command.ExecuteScalarAsync();
    }

    /// <summary>The settings that matter for commit cost, as the server reports them.</summary>
    public async Task<string> SettingsAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        var values = new List<string>();
        foreach (var name in new[] { "fsync", "synchronous_commit", "shared_buffers", "max_connections" })
        {
            await using var command = new NpgsqlCommand($"SHOW {name}", connection);
            values.Add($"{name}={await command.ExecuteScalarAsync()}");
        }

        return string.Join(", ", values) + $" ({Source})";
    }

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "marketplace_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, MaxPoolSize = 100 }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync()
    {
        _local?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A private cluster in a temp folder, run as the postgres user when we are root (initdb refuses root).</summary>
    private sealed class LocalCluster : IDisposable
    {
        private readonly string _folder;
        private readonly bool _asPostgresUser;
        private readonly string _binDir;

        private LocalCluster(string binDir, string folder, int port, bool asPostgresUser)
        {
            _binDir = binDir;
            _folder = folder;
            _asPostgresUser = asPostgresUser;
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=postgres;Pooling=true";
        }

        public string ConnectionString { get; }
        private string DataDir => Path.Combine(_folder, "data");

        public string LogFile => Path.Combine(_folder, "log");

        public int? PostmasterPid =>
            int.TryParse(File.ReadLines(Path.Combine(DataDir, "postmaster.pid")).FirstOrDefault(), out var pid) ? pid : null;

        public static Task<LocalCluster> StartAsync(bool durable)
        {
            var binDir = FindBinDir() ?? throw new InvalidOperationException(
                $"No PostgreSQL: pass --postgres, set {EnvironmentVariable}, or install PostgreSQL (initdb, pg_ctl; Debian's postgresql package).");
            var folder = Path.Combine(Path.GetTempPath(), "marketplace-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(folder);
            var asPostgres = Environment.UserName == "root";
            if (asPostgres) Run("chown", $"postgres \"{folder}\"", asPostgresUser: false);

            var port = FreePort();
            var cluster = new LocalCluster(binDir, folder, port, asPostgres);
            cluster.Pg("initdb", $"-D \"{cluster.DataDir}\" -U postgres -A trust -E UTF8" + (durable ? "" : " --no-sync"));
            var durability = durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            cluster.Pg("pg_ctl", $"-D \"{cluster.DataDir}\" -l \"{Path.Combine(folder, "log")}\" -w -t 60 " +
                                 $"-o \"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300{durability}\" start");
            return Task.FromResult(cluster);
        }

        public void Dispose()
        {
            try
            {
                Pg("pg_ctl", $"-D \"{DataDir}\" -m immediate -w stop");
            }
            finally
            {
                try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }

        private void Pg(string tool, string arguments) => Run(Path.Combine(_binDir, tool), arguments, _asPostgresUser);

        private static void Run(string file, string arguments, bool asPostgresUser)
        {
            var start = asPostgresUser
                ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
                : new ProcessStartInfo(file, arguments);
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.WorkingDirectory = Path.GetTempPath();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {stderr} {stdout.Result}");
        }

        private static string? FindBinDir()
        {
            try
            {
                var start = new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true };
                using var process = Process.Start(start)!;
                var dir = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                if (File.Exists(Path.Combine(dir, "initdb"))) return dir;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // no pg_config on PATH; look in the usual Debian place below
            }

            return Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d).Select(d => Path.Combine(d, "bin"))
                    .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
                : null;
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
