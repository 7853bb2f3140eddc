using System.Globalization;

namespace Marketplace.Bench.Matcher;

/// <summary>The sizes and switches of a <c>matcher</c> run; every one has a default that keeps the run to a few minutes.</summary>
public sealed record MatcherSettings
{
    public int Wallets { get; init; } = 50;
    public int Orders { get; init; } = 4_000;
    public int Transfers { get; init; } = 5_000;
    public double SplitShare { get; init; } = 0.1;
    public int WarmUpRounds { get; init; } = 5;
    public int SteadyWallets { get; init; } = 1_000;
    public int SteadyPasses { get; init; } = 5;
    public int Payments { get; init; } = 50;
    public int LatencyWallets { get; init; } = 10;
    public int BurstPayments { get; init; } = 60;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public int RequestsPerWalletPerPass { get; init; } = 8;
    public int MaxParallelWallets { get; init; } = 8;
    public int SetupParallelism { get; init; } = 4;
    public string? Postgres { get; init; }
    public bool Durable { get; init; } = true;
    public bool EmulatorProcess { get; init; }
    public HashSet<string> Scenarios { get; init; } = [.. DefaultScenarios];
    public string? Output { get; init; }

    public static readonly string[] DefaultScenarios = ["throughput", "steady", "push", "polling"];

    /// <summary>push-burst takes a minute or more (it waits out QIWI's request window), so it runs only when asked.</summary>
    public static readonly string[] AllScenarios = [.. DefaultScenarios, "push-burst"];

    public const string Help = """
          --wallets N             throughput: seller wallets [50]
          --orders N              throughput: open orders spread over the wallets [4000]
          --transfers N           throughput: incoming transfers injected into the wallets' history [5000]
                                  (each order paid once, --split of them in two halves; the rest match nothing)
          --split F               throughput: share of orders paid in two transfers [0.1]
          --warm-up-rounds N      throughput: rounds of one payment per wallet before the burst (0: a cold burst) [5]
          --steady-wallets N      steady state: wallets, each with one open order and nothing new [1000]
          --steady-passes N       steady state: passes measured [5]
          --payments N            push and polling latency: payments made with the emulator's transfer API [50]
          --latency-wallets N     push and polling latency: seller wallets the payments are spread over [10]
          --burst-payments N      push-burst: payments to one wallet, 0-200 ms apart [60]
          --poll-interval SEC     polling latency: PaymentWatcher:Interval in seconds [1]
          --requests-per-pass N   PaymentWatcher:RequestsPerWalletPerPass [8]
          --parallel-wallets N    PaymentWatcher:MaxParallelWallets [8]
          --setup-parallelism N   concurrent API calls while setting up wallets and orders [4]
          --postgres CONN         a PostgreSQL server to create databases on (else MARKETPLACE_TEST_POSTGRES,
                                  else a throwaway local cluster from the machine's binaries)
          --no-fsync              the throwaway cluster without fsync/synchronous_commit (as the tests run it)
          --emulator-process      the QIWI emulator in a child process, so the service's CPU is measured alone
                                  (by default it shares the benchmark's process with the service)
          --only LIST             scenarios to run, comma-separated: throughput,steady,push,polling,push-burst
                                  [throughput,steady,push,polling]
          --output FILE           also write the markdown report to FILE
        """;

    public static MatcherSettings Parse(string[] args)
    {
        var settings = new MatcherSettings();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--no-fsync")
            {
                settings = settings with { Durable = false };
                continue;
            }

            if (name == "--emulator-process")
            {
                settings = settings with { EmulatorProcess = true };
                continue;
            }

            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
            var value = args[++i];
            settings = name switch
            {
                "--wallets" => settings with { Wallets = Positive(name, value) },
                "--orders" => settings with { Orders = Positive(name, value) },
                "--transfers" => settings with { Transfers = Positive(name, value) },
                "--split" => settings with { SplitShare = Share(name, value) },
                "--warm-up-rounds" => settings with { WarmUpRounds = NonNegative(name, value) },
                "--steady-wallets" => settings with { SteadyWallets = Positive(name, value) },
                "--steady-passes" => settings with { SteadyPasses = Positive(name, value) },
                "--payments" => settings with { Payments = Positive(name, value) },
                "--latency-wallets" => settings with { LatencyWallets = Positive(name, value) },
                "--burst-payments" => settings with { BurstPayments = Positive(name, value) },
                "--poll-interval" => settings with { PollInterval = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--requests-per-pass" => settings with { RequestsPerWalletPerPass = Positive(name, value) },
                "--parallel-wallets" => settings with { MaxParallelWallets = Positive(name, value) },
                "--setup-parallelism" => settings with { SetupParallelism = Positive(name, value) },
                "--postgres" => settings with { Postgres = value },
                "--only" => settings with { Scenarios = ParseScenarios(value) },
                "--output" => settings with { Output = value },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (settings.Orders < settings.Wallets) throw new ArgumentException("--orders must be at least --wallets (every wallet has orders).");
        return settings;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} takes a positive whole number.");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{name} takes a whole number, 0 or more.");

    private static double Share(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share is >= 0 and <= 1
            ? share
            : throw new ArgumentException($"{name} takes a number from 0 to 1.");

    private static HashSet<string> ParseScenarios(string value)
    {
        var chosen = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (chosen.Count == 0 || chosen.Except(AllScenarios).FirstOrDefault() is { } unknown && unknown.Length > 0)
            throw new ArgumentException($"--only takes some of: {string.Join(',', AllScenarios)}.");
        return chosen;
    }
}
