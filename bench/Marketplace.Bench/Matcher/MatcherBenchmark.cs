using System.Diagnostics;
using System.Globalization;
using Marketplace.Bench.Hosting;
using Marketplace.Bench.Reporting;

namespace Marketplace.Bench.Matcher;

/// <summary>
/// The <c>matcher</c> load driver: PostgreSQL, the QIWI emulator on its own port (counting what it
/// serves) and the service, then the scenarios one after another, each on a fresh database. Prints a
/// markdown report at the end: the figures, their parameters, and the machine.
/// </summary>
public static class MatcherBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        MatcherSettings settings;
        try
        {
            settings = MatcherSettings.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(MatcherSettings.Help);
            return 2;
        }

        var started = Stopwatch.StartNew();
        var loadAtStart = MachineInfo.LoadAverage();
        Log($"Starting PostgreSQL ({(settings.Durable ? "durable" : "no fsync")}) and the QIWI emulator ({(settings.EmulatorProcess ? "own process" : "in this process")})");
        await using var postgres = await PostgresCluster.StartAsync(settings.Postgres, settings.Durable);
        var perWallet = (int)Math.Ceiling(settings.Transfers / (double)settings.Wallets);
        var wallets = settings.Wallets + settings.SteadyWallets + 100;
        await using var emulator = await EmulatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["QiwiEmulator:AllowLoopbackWebhooks"] = "true", // push: the relay listens on loopback
            ["QiwiEmulator:Limits:MaxWallets"] = wallets.ToString(CultureInfo.InvariantCulture),
            ["QiwiEmulator:Limits:MaxWalletsPerCaller"] = wallets.ToString(CultureInfo.InvariantCulture),
            ["QiwiEmulator:Limits:MaxHistoryRowsPerWallet"] = Math.Max(1_000, perWallet * 2 + 100).ToString(CultureInfo.InvariantCulture),
            ["QiwiEmulator:Limits:MaxPaymentIdsPerWallet"] = Math.Max(1_000, settings.Payments * 2).ToString(CultureInfo.InvariantCulture),
        }, settings.EmulatorProcess);

        var report = new Report();
        var context = new ScenarioContext(settings, postgres, emulator, report);
        var failed = 0;
        foreach (var (name, scenario) in new (string, Func<ScenarioContext, Task>)[]
                 {
                     ("throughput", Scenarios.ThroughputAsync), ("steady", Scenarios.SteadyStateAsync), ("push", Scenarios.PushLatencyAsync),
                     ("polling", Scenarios.PollingLatencyAsync), ("push-burst", Scenarios.PushBurstAsync),
                 })
        {
            if (!settings.Scenarios.Contains(name)) continue;
            try
            {
                await scenario(context);
            }
            catch (Exception ex)
            {
                // One scenario failing must not lose the others' figures.
                failed++;
                Log($"{name} FAILED: {ex}");
                report.Figure($"{name}: FAILED", ex.GetType().Name, ex.Message);
            }
        }

        var machine = MachineInfo.Describe(await postgres.VersionAsync(), await postgres.SettingsAsync(), loadAtStart);
        var text = report.ToMarkdown(machine, started.Elapsed, args);
        Console.WriteLine();
        Console.WriteLine(text);
        if (settings.Output is { } path) await File.WriteAllTextAsync(path, text);
        return failed == 0 ? 0 : 1;
    }

    internal static void Log(string message) =>
        Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

public sealed record ScenarioContext(MatcherSettings Settings, PostgresCluster Postgres, EmulatorHost Emulator, Report Report);

/// <summary>The results: one line per figure, then the details each scenario added (passes, SQL round trips).</summary>
public sealed class Report
{
    private readonly MarkdownTable _figures = new("Figure", "Result", "Parameters");
    private readonly List<(string Title, string Body)> _details = [];

    public void Figure(string name, string result, string parameters) => _figures.Add(name, result, parameters);

    public void Detail(string title, string body) => _details.Add((title, body));

    public string ToMarkdown(MarkdownTable machine, TimeSpan elapsed, string[] args)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("## Matcher benchmark results").AppendLine();
        text.AppendLine(_figures.ToMarkdown());
        text.AppendLine(machine.ToMarkdown());
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Run: `matcher {string.Join(' ', args)}`, {elapsed.TotalSeconds:0} s in all (set-up included).").AppendLine();
        foreach (var (title, body) in _details) text.AppendLine("### " + title).AppendLine().AppendLine(body);
        return text.ToString();
    }
}
