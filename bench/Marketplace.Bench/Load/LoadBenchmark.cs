using System.Diagnostics;
using System.Globalization;
using System.Text;
using Marketplace.Bench.Hosting;
using Marketplace.Bench.Reporting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Marketplace.Bench.Load;

/// <summary>
/// The <c>load</c> benchmark: the service as its own process (Release build, environment Production, Sandbox with the
/// embedded emulator) on a throwaway PostgreSQL, seeded through its API, then closed-loop HTTP load on the order
/// path and the catalog. Beside each order scenario, pgbench runs the very SQL the service sent for one placement
/// (captured from PostgreSQL's statement log), with as many clients, for as long: the ratio is the service's
/// overhead over its database work. After each run the stock invariants are checked in SQL.
/// </summary>
public static class LoadBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        LoadSettings settings;
        try
        {
            settings = LoadSettings.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(LoadSettings.Help);
            return 2;
        }

        var started = Stopwatch.StartNew();
        var loadAtStart = MachineInfo.LoadAverage();
        var report = new StringBuilder();
        var integrityFailed = false;
        var pgbench = settings.Pgbench ? Pgbench.Find() : null;

        Log($"Starting PostgreSQL ({(settings.Durable ? "durable" : "no fsync")})");
        await using var postgres = await PostgresCluster.StartAsync(settings.Postgres, settings.Durable);
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var serviceSettings = SeededMarketplace.CommonSettings();
        serviceSettings["Database:Provider"] = "PostgreSql";
        serviceSettings["ConnectionStrings:Marketplace"] = connectionString;

        Log($"Starting the service ({ServiceProcess.ApiFolder()})");
        var service = await ServiceProcess.StartAsync(serviceSettings, TimeSpan.FromMinutes(5));
        var memory = new MarkdownTable("Memory and start-up (PostgreSQL)", "Value");
        try
        {
            memory.Add("Process start → GET /health/ready 200 (fresh database: migrations included)", $"{service.StartToReady.TotalMilliseconds:N0} ms");
            memory.Add("RSS when ready", Mib(service.Memory().RssMiB));
            var market = new SeededMarketplace(service, async () => await dataSource.OpenConnectionAsync());
            Log("Seeding through the API");
            await market.SeedAsync(settings.Sellers, settings.Listings, settings.Buyers, settings.Stock, Log);
            memory.Add("RSS idle after seeding", Mib(service.Memory().RssMiB));

            PgbenchScript? script = null;
            string pgbenchNote;
            if (!settings.Pgbench) pgbenchNote = "pgbench runs skipped (--no-pgbench).";
            else if (pgbench is null) pgbenchNote = "pgbench not found (/usr/bin/pgbench or PATH): no comparison.";
            else if (postgres.LogFile is null) pgbenchNote = "The statement capture reads the server log of a throwaway cluster; with --postgres there is no comparison.";
            else
            {
                Log("Capturing the SQL of one placement from PostgreSQL's statement log");
                await CreateHelperTablesAsync(dataSource, market);
                var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
                var (statements, order) = await PlaceOrderCapture.CaptureAsync(postgres.AdminConnectionString, database, postgres.LogFile,
                    () => market.PlaceOneAsync(market.Listings[1 % market.Listings.Count], market.Buyers[0]));
                script = await PgbenchScript.BuildAsync(dataSource, statements, order);
                pgbenchNote = DescribeScript(script, settings);
                var scriptFile = settings.Output is { } o ? o + ".place-order.sql" : Path.Combine(Path.GetTempPath(), "marketplace-bench-place-order.sql");
                await File.WriteAllTextAsync(scriptFile, script.For(settings.Listings, settings.Buyers));
                Log($"The pgbench script (scenarios a and b; c sets l to 0): {scriptFile}");
            }

            var rateGuess = 1_000.0;
            var orderScenarios = new (string Key, string Title, int Connections, bool Hot)[]
            {
                ("a", $"(a) POST /api/v1/orders, {settings.Connections} connections over {settings.Listings} listings", settings.Connections, false),
                ("b", $"(b) POST /api/v1/orders, {settings.FewConnections} connections over {settings.Listings} listings", settings.FewConnections, false),
                ("c", $"(c) POST /api/v1/orders, {settings.Connections} connections on one hot listing", settings.Connections, true),
            };
            var summary = new MarkdownTable("Scenario", "Service req/s", "Service p50 / p99", "pgbench tps", "pgbench p50 / p99", "Service / pgbench", "Integrity", "Deadlocks");
            foreach (var (key, title, connections, hot) in orderScenarios)
            {
                if (!settings.Scenarios.Contains(key)) continue;
                var listings = hot ? market.Listings.Take(1).ToList() : market.Listings;
                var table = new MarkdownTable("Run", "Throughput", "p50", "p99", "Answers / failures", "Integrity after", "Deadlocks", "CPU s: service / PostgreSQL / machine");
                Log($"{title}: warm-up");
                var load = MachineInfo.LoadAverage();
                var service1 = await OrderRunAsync(market, postgres, dataSource, settings, listings, connections, rateGuess);
                rateGuess = Math.Max(rateGuess, service1.Result.PerSecond);
                var result = service1.Result;
                table.Add($"service: HTTP, {connections} connections", $"{result.PerSecond:N0} req/s", Fmt(result.Latency.P50), Fmt(result.Latency.P99),
                    result.Statuses, service1.Integrity, service1.Deadlocks.ToString(CultureInfo.InvariantCulture), service1.Cpu);
                integrityFailed |= service1.Integrity != "pass";
                Log($"{title}: service {result.PerSecond:N0} req/s, {result.Latency}, {result.Statuses}; integrity {service1.Integrity}");

                PgbenchRun? bench = null;
                if (script is not null)
                {
                    bench = await PgbenchRunAsync(market, postgres, dataSource, settings, pgbench!, connectionString, script, listings, connections, rateGuess);
                    var r = bench.Result;
                    table.Add($"pgbench: the same {script.Statements.Count} statements, {connections} clients", $"{r.Tps:N0} tps", Fmt(r.Latency.P50), Fmt(r.Latency.P99),
                        $"{r.Transactions:N0} transactions, {r.Failed:N0} failed" + (r.Error is null ? "" : $" ({r.Error})"),
                        bench.Integrity, bench.Deadlocks.ToString(CultureInfo.InvariantCulture), bench.Cpu);
                    table.Add("service / pgbench", r.Tps > 0 ? $"{result.PerSecond / r.Tps:0.00}" : "n/a",
                        Ratio(result.Latency.P50, r.Latency.P50), Ratio(result.Latency.P99, r.Latency.P99), "", "", "", "");
                    integrityFailed |= bench.Integrity != "pass";
                    Log($"{title}: pgbench {r.Tps:N0} tps, {r.Latency}; integrity {bench.Integrity}");
                }

                report.AppendLine(CultureInfo.InvariantCulture, $"### {title}").AppendLine()
                    .AppendLine(table.ToMarkdown())
                    .AppendLine(CultureInfo.InvariantCulture, $"Load average at the start of the scenario: {load}.").AppendLine();
                if (bench is { Result.PerStatement.Count: > 0 })
                {
                    // Where a placement's database time goes, statement by statement (pgbench -r: client-side average, round trip included).
                    var statements = new MarkdownTable("pgbench statement (first line)", "Average latency");
                    foreach (var (ms, command) in bench.Result.PerStatement.Where(p => !p.Command.StartsWith('\\')))
                        statements.Add(command.Length <= 100 ? command : command[..97] + "...", Fmt(ms));
                    report.AppendLine(statements.ToMarkdown());
                }
                summary.Add(title.Replace("POST /api/v1/orders, ", "", StringComparison.Ordinal), $"{result.PerSecond:N0}", $"{Fmt(result.Latency.P50)} / {Fmt(result.Latency.P99)}",
                    bench is null ? "—" : $"{bench.Result.Tps:N0}", bench is null ? "—" : $"{Fmt(bench.Result.Latency.P50)} / {Fmt(bench.Result.Latency.P99)}",
                    bench is null || bench.Result.Tps <= 0 ? "—" : $"{result.PerSecond / bench.Result.Tps:0.00}",
                    bench is null ? service1.Integrity : $"{service1.Integrity} / {bench.Integrity}",
                    bench is null ? $"{service1.Deadlocks}" : $"{service1.Deadlocks} / {bench.Deadlocks}");
            }

            if (settings.Scenarios.Overlaps(["a", "b", "c"]))
                memory.Add("Peak RSS (VmHWM) after the order scenarios", Mib(service.Memory().PeakMiB));

            if (settings.Scenarios.Contains("d"))
            {
                var table = new MarkdownTable("Run", "Throughput", "p50", "p99", "Answers", "CPU s: service / PostgreSQL / machine");
                var load = MachineInfo.LoadAverage();
                foreach (var (name, path) in new[] { ("GET /api/v1/listings?pageSize=20 (anonymous catalog)", "api/v1/listings?pageSize=20"), ("GET /health/live", "health/live") })
                {
                    Log($"(d) {name}: warm-up");
                    await HttpLoad.RunAsync(service.BaseAddress, settings.Connections, TimeSpan.Zero, settings.WarmUp, _ => HttpLoad.Get(path));
                    var cpu = new RunCpu(service, postgres);
                    var result = await HttpLoad.RunAsync(service.BaseAddress, settings.Connections, TimeSpan.FromSeconds(1), settings.Duration, _ => HttpLoad.Get(path));
                    table.Add($"{name}, {settings.Connections} connections", $"{result.PerSecond:N0} req/s", Fmt(result.Latency.P50), Fmt(result.Latency.P99), result.Statuses, cpu.Describe());
                    summary.Add($"(d) {name}", $"{result.PerSecond:N0}", $"{Fmt(result.Latency.P50)} / {Fmt(result.Latency.P99)}", "—", "—", "—", "—", "—");
                    Log($"(d) {name}: {result.PerSecond:N0} req/s, {result.Latency}, {result.Statuses}");
                }

                report.AppendLine("### (d) Catalog beside /health/live").AppendLine().AppendLine(table.ToMarkdown())
                    .AppendLine(CultureInfo.InvariantCulture, $"Load average at the start of the scenario: {load}.").AppendLine();
            }

            memory.Add("RSS after all runs", Mib(service.Memory().RssMiB));
            memory.Add("Peak RSS (VmHWM) of the whole run", Mib(service.Memory().PeakMiB));

            var text = new StringBuilder();
            text.AppendLine("## Load benchmark results").AppendLine();
            text.AppendLine(summary.ToMarkdown());
            text.AppendLine(memory.ToMarkdown());

            if (settings.Sqlite)
            {
                await service.DisposeAsync();
                var sqlite = await SqliteRunAsync(settings, rateGuess);
                integrityFailed |= sqlite.Failed;
                text.AppendLine(sqlite.Markdown);
            }

            text.Append(report);
            text.AppendLine("### How it was run").AppendLine();
            text.AppendLine(Configuration(settings, serviceSettings));
            text.AppendLine(pgbenchNote).AppendLine();
            text.AppendLine(MachineInfo.Describe(await postgres.VersionAsync(), await postgres.SettingsAsync(), loadAtStart).ToMarkdown());
            text.AppendLine(CultureInfo.InvariantCulture, $"Run: `load {string.Join(' ', args)}`, {started.Elapsed.TotalSeconds:0} s in all (set-up included). " +
                                                          $"Integrity: {(integrityFailed ? "**FAILED**" : "every check passed")}.");
            Console.WriteLine();
            Console.WriteLine(text);
            if (settings.Output is { } output) await File.WriteAllTextAsync(output, text.ToString());
            return integrityFailed ? 1 : 0;
        }
        catch
        {
            Console.Error.WriteLine("The service's last output lines:\n" + service.Tail());
            throw;
        }
        finally
        {
            await service.DisposeAsync();
            await postgres.DropDatabaseAsync(connectionString);
        }
    }

    private sealed record ServiceRun(LoadResult Result, string Integrity, long Deadlocks, string Cpu);

    private sealed record PgbenchRun(PgbenchResult Result, string Integrity, long Deadlocks, string Cpu);

    /// <summary>Items each listing needs for a run at <paramref name="rate"/> orders a second, with room to spare.</summary>
    private static int StockFor(LoadSettings settings, double rate, int listings) =>
        Math.Max(settings.Stock, (int)Math.Ceiling(rate * (settings.Duration.TotalSeconds + 2) * 1.5 / listings) + 50);

    private static async Task<ServiceRun> OrderRunAsync(
        SeededMarketplace market, PostgresCluster postgres, NpgsqlDataSource db, LoadSettings settings, List<Guid> listings, int connections, double rateGuess)
    {
        // Each connection places orders as its own buyers in turn (buyer b belongs to connection b mod C).
        var turns = new int[connections];
        HttpRequestMessage Next(int w)
        {
            var buyers = market.Buyers;
            var buyer = buyers[(w + connections * turns[w]++) % buyers.Count];
            return SeededMarketplace.PlaceOrderRequest(listings[Random.Shared.Next(listings.Count)], buyer);
        }

        await market.ResetOrdersAsync();
        await market.EnsureStockAsync(listings, StockFor(settings, rateGuess * settings.WarmUp.TotalSeconds / settings.Duration.TotalSeconds, listings.Count));
        var warm = await HttpLoad.RunAsync(market.Service.BaseAddress, connections, TimeSpan.Zero, settings.WarmUp, Next);
        await market.ResetOrdersAsync();
        await market.EnsureStockAsync(listings, StockFor(settings, Math.Max(warm.PerSecond, 100), listings.Count));
        var deadlocks = await DeadlocksAsync(db);
        var cpu = new RunCpu(market.Service, postgres);
        var result = await HttpLoad.RunAsync(market.Service.BaseAddress, connections, TimeSpan.FromSeconds(1), settings.Duration, Next);
        var cpuText = cpu.Describe();
        var integrity = Integrity.Describe(await market.IntegrityAsync());
        return new ServiceRun(result, integrity, await DeadlocksAsync(db) - deadlocks, cpuText);
    }

    private static async Task<PgbenchRun> PgbenchRunAsync(
        SeededMarketplace market, PostgresCluster postgres, NpgsqlDataSource db, LoadSettings settings, string pgbench, string connectionString,
        PgbenchScript script, List<Guid> listings, int clients, double rateGuess)
    {
        var text = script.For(listings.Count, market.Buyers.Count);
        await market.ResetOrdersAsync();
        await market.EnsureStockAsync(listings, StockFor(settings, Math.Max(rateGuess, 1_000) * 3 * settings.WarmUp.TotalSeconds / settings.Duration.TotalSeconds, listings.Count));
        Log($"pgbench warm-up ({clients} clients)");
        var warm = await Pgbench.RunAsync(pgbench, connectionString, text, clients, settings.WarmUp, log: false);
        if (warm.Error is not null) Log($"pgbench warm-up: {warm.Error}");
        await market.ResetOrdersAsync();
        await market.EnsureStockAsync(listings, StockFor(settings, Math.Max(warm.Tps, 100), listings.Count));
        var deadlocks = await DeadlocksAsync(db);
        var cpu = new RunCpu(market.Service, postgres);
        var result = await Pgbench.RunAsync(pgbench, connectionString, text, clients, settings.Duration, log: true);
        var cpuText = cpu.Describe();
        var integrity = Integrity.Describe(await market.IntegrityAsync());
        return new PgbenchRun(result, integrity, await DeadlocksAsync(db) - deadlocks, cpuText);
    }

    /// <summary>pg_stat_database.deadlocks of this database (statistics reach it within a second or so of the event).</summary>
    private static async Task<long> DeadlocksAsync(NpgsqlDataSource db)
    {
        await Task.Delay(1_500);
        await using var command = db.CreateCommand("SELECT pg_stat_clear_snapshot(); SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        return await reader.ReadAsync() ? reader.GetInt64(0) : 0;
    }

    /// <summary>The helper tables the pgbench script picks its listing and buyer from (pgbench variables are numbers).</summary>
    private static async Task CreateHelperTablesAsync(NpgsqlDataSource db, SeededMarketplace market)
    {
        await using (var create = db.CreateCommand(
                         $"CREATE TABLE {PgbenchScript.ListingsTable} (n int PRIMARY KEY, listing_id uuid NOT NULL, seller_id uuid NOT NULL, wallet_id uuid NOT NULL, account text NOT NULL);" +
                         $"CREATE TABLE {PgbenchScript.BuyersTable} (n int PRIMARY KEY, account_id uuid NOT NULL, session_id uuid)"))
            await create.ExecuteNonQueryAsync();
        for (var i = 0; i < market.Listings.Count; i++)
        {
            await using var insert = db.CreateCommand(
                $"INSERT INTO {PgbenchScript.ListingsTable} SELECT $1, l.\"Id\", l.\"SellerId\", l.\"WalletId\", w.\"Account\" FROM listings l JOIN wallets w ON w.\"Id\" = l.\"WalletId\" WHERE l.\"Id\" = $2");
            insert.Parameters.Add(new NpgsqlParameter { Value = i });
            insert.Parameters.Add(new NpgsqlParameter { Value = market.Listings[i] });
            await insert.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < market.Buyers.Count; i++)
        {
            await using var insert = db.CreateCommand(
                $"INSERT INTO {PgbenchScript.BuyersTable} VALUES ($1, $2, (SELECT \"Id\" FROM sessions WHERE \"AccountId\" = $2 ORDER BY \"CreatedAt\" DESC LIMIT 1))");
            insert.Parameters.Add(new NpgsqlParameter { Value = i });
            insert.Parameters.Add(new NpgsqlParameter { Value = market.Buyers[i].Id });
            await insert.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Scenario (b) on the embedded default: SQLite, a fresh file, the same seeding.</summary>
    private static async Task<(string Markdown, bool Failed)> SqliteRunAsync(LoadSettings settings, double rateGuess)
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-bench-sqlite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "marketplace.db");
        var serviceSettings = SeededMarketplace.CommonSettings();
        serviceSettings["Database:Provider"] = "Sqlite";
        serviceSettings["ConnectionStrings:Marketplace"] = $"Data Source={file}";
        Log("SQLite: starting the service on a fresh file");
        var service = await ServiceProcess.StartAsync(serviceSettings, TimeSpan.FromMinutes(5));
        try
        {
            var memory = new MarkdownTable("SQLite (embedded default)", "Value");
            memory.Add("Process start → GET /health/ready 200 (fresh file: migrations included)", $"{service.StartToReady.TotalMilliseconds:N0} ms");
            memory.Add("RSS when ready", Mib(service.Memory().RssMiB));
            var market = new SeededMarketplace(service, async () =>
            {
                var connection = new SqliteConnection($"Data Source={file};Default Timeout=60");
                await connection.OpenAsync();
                return connection;
            });
            await market.SeedAsync(settings.Sellers, settings.Listings, settings.Buyers, settings.Stock, Log);
            var connections = settings.FewConnections;
            var turns = new int[connections];
            HttpRequestMessage Next(int w) => SeededMarketplace.PlaceOrderRequest(market.Listings[Random.Shared.Next(market.Listings.Count)],
                market.Buyers[(w + connections * turns[w]++) % market.Buyers.Count]);
            Log($"SQLite (b): warm-up");
            var warm = await HttpLoad.RunAsync(service.BaseAddress, connections, TimeSpan.Zero, settings.WarmUp, Next);
            await market.ResetOrdersAsync();
            await market.EnsureStockAsync(market.Listings, StockFor(settings, Math.Max(warm.PerSecond, 100), market.Listings.Count));
            var cpu = service.CpuTime();
            var result = await HttpLoad.RunAsync(service.BaseAddress, connections, TimeSpan.FromSeconds(1), settings.Duration, Next);
            var integrity = Integrity.Describe(await market.IntegrityAsync());
            Log($"SQLite (b): {result.PerSecond:N0} req/s, {result.Latency}, {result.Statuses}; integrity {integrity}");
            memory.Add("Peak RSS (VmHWM)", Mib(service.Memory().PeakMiB));
            var table = new MarkdownTable("Run", "Throughput", "p50", "p99", "Answers", "Integrity after", "CPU s: service");
            table.Add($"(b) POST /api/v1/orders, {connections} connections over {settings.Listings} listings, SQLite",
                $"{result.PerSecond:N0} req/s", Fmt(result.Latency.P50), Fmt(result.Latency.P99), result.Statuses, integrity,
                $"{(service.CpuTime() - cpu).TotalSeconds:0.0}");
            return ("### SQLite variant of (b)\n\n" + table.ToMarkdown() + "\n" + memory.ToMarkdown(), integrity != "pass");
        }
        finally
        {
            await service.DisposeAsync();
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static string DescribeScript(PgbenchScript script, LoadSettings settings)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"The pgbench script is one captured placement: **{script.Statements.Count} statements**, each a round trip in pgbench " +
            $"(`-M extended`, parameters as Npgsql sends them, no prepared statements). Npgsql may send fewer round trips for the same " +
            $"statements: it sends a pooled connection's reset (DISCARD ALL) and a transaction's BEGIN together with the next command, and " +
            $"batches SaveChanges' statements. The statements, in order:").AppendLine();
        for (var i = 0; i < script.Statements.Count; i++) text.AppendLine(CultureInfo.InvariantCulture, $"{i + 1}. `{script.Statements[i].Replace("`", "'", StringComparison.Ordinal)}`");
        text.AppendLine().AppendLine("Values replaced so that each pgbench transaction places a real, distinct order " +
                                     $"(listing random among the scenario's, buyer by pgbench client among {settings.Buyers}; helper tables bench_listings, bench_buyers):").AppendLine();
        foreach (var line in script.Substitutions.Distinct()) text.AppendLine("- " + line.Replace("|", "\\|", StringComparison.Ordinal));
        text.AppendLine("- times → now() plus the captured offset from the order's creation; every other parameter: the captured value, cast to its inferred type");
        return text.ToString();
    }

    private static string Configuration(LoadSettings settings, Dictionary<string, string> service)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Each run: {settings.WarmUp.TotalSeconds:0} s of warm-up (not counted), then {settings.Duration.TotalSeconds:0} s measured (plus 1 s to open connections), " +
            $"closed loop (each connection sends its next request when the answer is read). Before each order run the open orders are cancelled " +
            $"in SQL and their items put back (each run starts from the same state), and stock is topped up through the import API for the rate seen in the warm-up.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Seed (through the API): {settings.Sellers} sellers with a connected sandbox wallet (embedded emulator), {settings.Listings} listings " +
            $"(at least {settings.Stock:N0} items each), {settings.Buyers} buyers, each order quantity 1. Each connection places orders as its own buyers in turn.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Service: `dotnet Marketplace.Api.dll` from `{Path.GetRelativePath(Environment.CurrentDirectory, ServiceProcess.ApiFolder())}`, " +
            $"ASPNETCORE_ENVIRONMENT=Production (appsettings.json logging), settings as environment variables:");
        text.AppendLine();
        foreach (var (key, value) in service.OrderBy(p => p.Key, StringComparer.Ordinal))
            text.AppendLine(CultureInfo.InvariantCulture, $"- `{key}` = {(SeededMarketplace.SecretKeys.Contains(key) ? "(generated for the run)" : value.Length == 0 ? "(empty: in memory)" : $"`{value}`")}");
        text.AppendLine();
        text.AppendLine("The unpaid-order caps (`Orders:Limits`) and the order rate limit (`Orders:RateLimit`) are raised so that they never refuse an " +
                        "order of the run: every buyer places hundreds of orders a minute here. The caps' query still runs on every placement.");
        return text.ToString();
    }

    /// <summary>CPU of the service process, of PostgreSQL, and of the whole machine over a run.</summary>
    private sealed class RunCpu(ServiceProcess service, PostgresCluster postgres)
    {
        private readonly TimeSpan _service = service.CpuTime();
        private readonly CpuMeter _meter = new(postgres.PostmasterPid);

        public string Describe()
        {
            var sample = _meter.Sample();
            var serviceCpu = (service.CpuTime() - _service).TotalSeconds;
            return string.Create(CultureInfo.InvariantCulture,
                $"{serviceCpu:0.0} / {(sample.Postgres is { } pg ? pg.ToString("0.0", CultureInfo.InvariantCulture) : "?")} / {sample.Self + (sample.Postgres ?? 0) + sample.Others:0.0} of {sample.Wall * Environment.ProcessorCount:0}");
        }
    }

    private static string Fmt(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Ratio(double a, double b) => double.IsNaN(a) || double.IsNaN(b) || b <= 0 ? "" : $"×{a / b:0.0}";

    private static string Mib(double mib) => double.IsNaN(mib) ? "n/a" : $"{mib:N0} MiB";

    internal static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
