using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;

[assembly: AssemblyFixture(typeof(Marketplace.IntegrationTests.Infrastructure.PostgresServer))]

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run, found in this order:
/// 1. MARKETPLACE_TEST_POSTGRES, a connection string to a server we may create databases on;
/// 2. Testcontainers, when a Docker engine answers;
/// 3. a throwaway cluster from the machine's PostgreSQL binaries (initdb + pg_ctl), deleted afterwards.
/// Every test class then gets its own database with a random name, dropped when it is done.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "MARKETPLACE_TEST_POSTGRES";

    private PostgreSqlContainer? _container;
    private LocalCluster? _cluster;

    public string AdminConnectionString { get; private set; } = "";
    public string Source { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            (AdminConnectionString, Source) = (configured, EnvironmentVariable);
            return;
        }

        if (await DockerAnswersAsync())
        {
            _container = new PostgreSqlBuilder("postgres:17-alpine").Build();
            await _container.StartAsync();
            (AdminConnectionString, Source) = (_container.GetConnectionString(), "testcontainers");
            return;
        }

        _cluster = await LocalCluster.StartAsync();
        (AdminConnectionString, Source) = (_cluster.ConnectionString, "local cluster " + _cluster.BinDir);
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null) await _container.DisposeAsync();
        _cluster?.Dispose();
    }

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "marketplace_test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
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

    private static async Task<bool> DockerAnswersAsync()
    {
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 }) return true;
        const string socket = "/var/run/docker.sock";
        if (!File.Exists(socket)) return false;
        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A private PostgreSQL cluster in a temp folder, run as the postgres user when we are root (initdb refuses root).</summary>
    private sealed class LocalCluster : IDisposable
    {
        private readonly string _folder;
        private readonly bool _asPostgresUser;

        private LocalCluster(string binDir, string folder, int port, bool asPostgresUser)
        {
            BinDir = binDir;
            _folder = folder;
            _asPostgresUser = asPostgresUser;
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
        }

        public string BinDir { get; }
        public string ConnectionString { get; }
        private string DataDir => Path.Combine(_folder, "data");

        public static async Task<LocalCluster> StartAsync()
        {
            var binDir = FindBinDir() ?? throw new InvalidOperationException(
                $"No PostgreSQL for tests: set {EnvironmentVariable}, run a Docker engine, or install PostgreSQL (initdb, pg_ctl).");
            var folder = Path.Combine(Path.GetTempPath(), "marketplace-pg-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(folder);
            var asPostgres = Environment.UserName == "root";
            if (asPostgres) Run("chown", $"postgres \"{folder}\"", asPostgresUser: false);

            var port = FreePort();
            var cluster = new LocalCluster(binDir, folder, port, asPostgres);
            cluster.Pg("initdb", $"-D \"{cluster.DataDir}\" -U postgres -A trust --no-sync -E UTF8");
            cluster.Pg("pg_ctl", $"-D \"{cluster.DataDir}\" -l \"{Path.Combine(folder, "log")}\" -w -t 60 " +
                                 $"-o \"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start");
            await Task.CompletedTask;
            return cluster;
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

        private void Pg(string tool, string arguments) => Run(Path.Combine(BinDir, tool), arguments, _asPostgresUser);

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
