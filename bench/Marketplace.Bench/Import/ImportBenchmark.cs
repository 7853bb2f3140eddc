using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Bench.Hosting;
using Marketplace.Bench.Reporting;

namespace Marketplace.Bench.Import;

/// <summary>
/// The <c>import</c> benchmark: the service on a throwaway PostgreSQL, one seller, one listing, then
/// <c>--keys</c> (default 100,000) fresh keys uploaded as one text/plain body through the API. Measures the
/// request from the first byte sent to the answer (parsing, hashing and AES-GCM in parallel, COPY into staging,
/// the set-based insert, the counter), then a second upload of the same keys (every one a duplicate).
/// </summary>
public static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var keys = 100_000;
        var runs = 3;
        var warmup = 20_000;
        string? postgresConnection = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--keys": keys = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--postgres": postgresConnection = args[++i]; break;
                default:
                    Console.Error.WriteLine("import options: --keys N [100000] --runs N [3] --warmup N [20000, 0: none] --postgres CONNECTION_STRING [throwaway cluster]");
                    return 2;
            }
        }

        var loadAtStart = MachineInfo.LoadAverage();
        await using var postgres = await PostgresCluster.StartAsync(postgresConnection, durable: false);
        await using var emulator = await EmulatorHost.StartAsync(new Dictionary<string, string?>());
        var table = new MarkdownTable("Run", "Keys", "Added", "Time", "Keys/s", "CPU: service", "CPU: PostgreSQL", "CPU: other processes");
        for (var run = 1; run <= runs; run++)
        {
            // A fresh service and database per run: the first run pays for start-up (JIT, EF model), later ones less so.
            await using var service = await ServiceHost.StartAsync(postgres, emulator, backgroundWatcher: false, new Dictionary<string, string?>
            {
                // The import's own timing lines (prepare vs store); never the keys.
                ["Logging:LogLevel:Marketplace.Application.Listings.Items"] = "Debug",
                ["Logging:LogLevel:Marketplace.Infrastructure.Listings"] = "Debug",
            }, new PhaseLog("Marketplace."));
            var qiwi = emulator.CreateAdminClient();
            var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
            var client = service.CreateApiClient();
            client.Http.Timeout = TimeSpan.FromMinutes(10); // a loaded machine can take longer than HttpClient's 100 s default
            var seller = await client.SignUpAsync();
            var wallet = await seller.ConnectQiwiWalletAsync(phone, await qiwi.IssueTokenAsync(phone, "ProfileRead", "HistoryRead"));
            var listing = await seller.CreateListingAsync(wallet.Id, 100m, 30);
            var text = Keys(keys);
            if (warmup > 0)
            {
                // A running service, not a cold one: the JIT compiles the import's code and the runtime's tiering recompiles the hot
                // parts (several CPU seconds in a fresh process, on a background thread, while the first import runs). The warm-up
                // keys go to a listing of their own, new and then again, so both paths are compiled.
                var scratch = await seller.CreateListingAsync(wallet.Id, 100m, 30);
                var warm = Keys(warmup);
                await ImportAsync(seller.Http, scratch.Id, warm, postgres.PostmasterPid);
                await ImportAsync(seller.Http, scratch.Id, warm, postgres.PostmasterPid);
                Console.WriteLine($"    (warm-up done; the JIT was quiet after {await JitQuietAsync():0.0} s more)");
            }

            CpuSample first;
            int added;
            try
            {
                (added, first) = await ImportAsync(seller.Http, listing.Id, text, postgres.PostmasterPid);
            }
            catch (InvalidOperationException)
            {
                // What the service logged at Warning and above (exception types and messages, never keys).
                foreach (var (line, count) in service.Logs.Counts) Console.Error.WriteLine($"{count} x {line}");
                throw;
            }

            Row(table, $"{run}: new keys", keys, added, first);
            var (again, repeat) = await ImportAsync(seller.Http, listing.Id, text, postgres.PostmasterPid);
            Row(table, $"{run}: same keys again", keys, again, repeat);
            Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] run {run}: {keys} keys in {first.Wall:0.00} s (repeat {repeat.Wall:0.00} s); " +
                              $"load average {MachineInfo.LoadAverage()}");
            Console.WriteLine($"    new keys: {first.Describe()}");
            Console.WriteLine($"    repeat:   {repeat.Describe()}");
        }

        var machine = MachineInfo.Describe(await postgres.VersionAsync(), await postgres.SettingsAsync(), loadAtStart);
        Console.WriteLine();
        Console.WriteLine("## Import benchmark results");
        Console.WriteLine();
        Console.WriteLine(table.ToMarkdown());
        Console.WriteLine(machine.ToMarkdown());
        return 0;
    }

    /// <summary>Waits until the JIT compiled no method for a second (at most 30 s): the tiering's background recompilation is done.</summary>
    private static async Task<double> JitQuietAsync()
    {
        var waited = Stopwatch.StartNew();
        var count = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == count) break;
            count = now;
        }

        return waited.Elapsed.TotalSeconds;
    }

    private static string Keys(int count)
    {
        var body = new StringBuilder(count * 48);
        for (var i = 0; i < count; i++) body.Append("KEY-").Append(Guid.NewGuid().ToString("N")).Append('-').Append(i).Append('\n');
        return body.ToString();
    }

    private static void Row(MarkdownTable table, string run, int keys, int added, CpuSample cpu) =>
        table.Add(run, keys.ToString("N0", CultureInfo.InvariantCulture), added.ToString("N0", CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"{cpu.Wall:0.00} s"), (keys / cpu.Wall).ToString("N0", CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"{cpu.Self:0.00} s"), string.Create(CultureInfo.InvariantCulture, $"{cpu.Postgres ?? 0:0.00} s"),
            string.Create(CultureInfo.InvariantCulture, $"{cpu.Others:0.00} s"));

    /// <summary>
    /// One upload, timed from the first byte sent to the answer, with the CPU the service (this process: the service runs in
    /// it, the client's share is small) and PostgreSQL spent meanwhile.
    /// </summary>
    private static async Task<(int Added, CpuSample Cpu)> ImportAsync(HttpClient http, Guid listingId, string text, int? postmaster)
    {
        var meter = new CpuMeter(postmaster);
        using var response = await http.PostAsync($"/api/v1/listings/{listingId}/items/import", new StringContent(text, Encoding.UTF8, "text/plain"));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var cpu = meter.Sample();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Import failed: {(int)response.StatusCode} {json}");
        return (json.GetProperty("added").GetInt32(), cpu);
    }
}
