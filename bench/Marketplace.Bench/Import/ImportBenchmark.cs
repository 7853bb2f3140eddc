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
        string? postgresConnection = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--keys": keys = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--postgres": postgresConnection = args[++i]; break;
                default:
                    Console.Error.WriteLine("import options: --keys N [100000] --runs N [3] --postgres CONNECTION_STRING [throwaway cluster]");
                    return 2;
            }
        }

        var loadAtStart = MachineInfo.LoadAverage();
        await using var postgres = await PostgresCluster.StartAsync(postgresConnection, durable: false);
        await using var emulator = await EmulatorHost.StartAsync(new Dictionary<string, string?>());
        var table = new MarkdownTable("Run", "Keys", "Added", "Time", "Keys/s");
        for (var run = 1; run <= runs; run++)
        {
            // A fresh service and database per run: the first run pays for start-up (JIT, EF model), later ones less so.
            await using var service = await ServiceHost.StartAsync(postgres, emulator, backgroundWatcher: false, new Dictionary<string, string?>
            {
                // The import's own timing lines (prepare vs store); never the keys.
                ["Logging:LogLevel:Marketplace.Application.Listings.Items"] = "Debug",
            });
            var qiwi = emulator.CreateAdminClient();
            var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
            var client = service.CreateApiClient();
            client.Http.Timeout = TimeSpan.FromMinutes(10); // a loaded machine can take longer than HttpClient's 100 s default
            var seller = await client.SignUpAsync();
            var wallet = await seller.ConnectQiwiWalletAsync(phone, await qiwi.IssueTokenAsync(phone, "ProfileRead", "HistoryRead"));
            var listing = await seller.CreateListingAsync(wallet.Id, 100m, 30);
            var body = new StringBuilder(keys * 48);
            for (var i = 0; i < keys; i++) body.Append("KEY-").Append(Guid.NewGuid().ToString("N")).Append('-').Append(i).Append('\n');
            var text = body.ToString();

            int added;
            TimeSpan elapsed;
            try
            {
                (added, elapsed) = await ImportAsync(seller.Http, listing.Id, text);
            }
            catch (InvalidOperationException)
            {
                // What the service logged at Warning and above (exception types and messages, never keys).
                foreach (var (line, count) in service.Logs.Counts) Console.Error.WriteLine($"{count} x {line}");
                throw;
            }

            table.Add($"{run}: new keys", keys.ToString("N0", CultureInfo.InvariantCulture), added.ToString("N0", CultureInfo.InvariantCulture),
                $"{elapsed.TotalSeconds:0.00} s", (keys / elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture));
            var (again, repeat) = await ImportAsync(seller.Http, listing.Id, text);
            table.Add($"{run}: same keys again", keys.ToString("N0", CultureInfo.InvariantCulture), again.ToString("N0", CultureInfo.InvariantCulture),
                $"{repeat.TotalSeconds:0.00} s", (keys / repeat.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture));
            Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] run {run}: {keys} keys in {elapsed.TotalSeconds:0.00} s (repeat {repeat.TotalSeconds:0.00} s)");
        }

        var machine = MachineInfo.Describe(await postgres.VersionAsync(), await postgres.SettingsAsync(), loadAtStart);
        Console.WriteLine();
        Console.WriteLine("## Import benchmark results");
        Console.WriteLine();
        Console.WriteLine(table.ToMarkdown());
        Console.WriteLine(machine.ToMarkdown());
        return 0;
    }

    private static async Task<(int Added, TimeSpan Elapsed)> ImportAsync(HttpClient http, Guid listingId, string text)
    {
        var started = Stopwatch.StartNew();
        using var response = await http.PostAsync($"/api/v1/listings/{listingId}/items/import", new StringContent(text, Encoding.UTF8, "text/plain"));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        started.Stop();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Import failed: {(int)response.StatusCode} {json}");
        return (json.GetProperty("added").GetInt32(), started.Elapsed);
    }
}
