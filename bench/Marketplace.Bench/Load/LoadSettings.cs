using System.Globalization;

namespace Marketplace.Bench.Load;

/// <summary>The sizes and switches of a <c>load</c> run; the defaults are the ones docs/benchmarks.md reports.</summary>
public sealed record LoadSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);
    public int Connections { get; init; } = 64;
    public int FewConnections { get; init; } = 16;
    public int Listings { get; init; } = 50;
    public int Sellers { get; init; } = 5;
    public int Buyers { get; init; } = 128;
    public int Stock { get; init; } = 1_000;
    public string? Postgres { get; init; }
    public bool Durable { get; init; } = true;
    public bool Pgbench { get; init; } = true;
    public bool Sqlite { get; init; }
    public HashSet<string> Scenarios { get; init; } = [.. AllScenarios];
    public string? Output { get; init; }

    public static readonly string[] AllScenarios = ["a", "b", "c", "d"];

    public const string Help = """
          --duration SEC        measured time of each run [15]
          --warm-up SEC         warm-up before each run, same load, not counted [5]
          --connections N       connections of scenarios a, c and d [64]
          --few-connections N   connections of scenario b [16]
          --listings N          listings the orders are spread over (the first is also the hot one of c) [50]
          --sellers N           sellers, each with a connected sandbox wallet, owning the listings in turn [5]
          --buyers N            buyer accounts; each connection places orders as its own buyers [128]
          --stock N             items per listing at the start; topped up before each run from the rate seen [1000]
          --only LIST           scenarios, comma-separated: a (orders, many connections), b (orders, few),
                                c (orders, one hot listing), d (catalog and /health/live) [a,b,c,d]
          --no-pgbench          skip the pgbench runs of the captured placement SQL beside a-c
          --sqlite              also run scenario b on the embedded default (SQLite, no --postgres)
          --postgres CONN       a PostgreSQL server to create the database on (else MARKETPLACE_TEST_POSTGRES, else a
                                throwaway local cluster; the statement capture for pgbench needs the throwaway one)
          --no-fsync            the throwaway cluster without fsync/synchronous_commit (as the tests run it)
          --output FILE         also write the markdown report to FILE
        """;

    public static LoadSettings Parse(string[] args)
    {
        var settings = new LoadSettings();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--no-fsync": settings = settings with { Durable = false }; continue;
                case "--no-pgbench": settings = settings with { Pgbench = false }; continue;
                case "--sqlite": settings = settings with { Sqlite = true }; continue;
                case "--help" or "-h": throw new ArgumentException("load options [defaults]:");
            }

            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
            var value = args[++i];
            settings = name switch
            {
                "--duration" => settings with { Duration = Seconds(name, value) },
                "--warm-up" => settings with { WarmUp = Seconds(name, value) },
                "--connections" => settings with { Connections = Positive(name, value) },
                "--few-connections" => settings with { FewConnections = Positive(name, value) },
                "--listings" => settings with { Listings = Positive(name, value) },
                "--sellers" => settings with { Sellers = Positive(name, value) },
                "--buyers" => settings with { Buyers = Positive(name, value) },
                "--stock" => settings with { Stock = Positive(name, value) },
                "--only" => settings with { Scenarios = ParseScenarios(value) },
                "--postgres" => settings with { Postgres = value },
                "--output" => settings with { Output = value },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return settings;
    }

    private static TimeSpan Seconds(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 1
            ? TimeSpan.FromSeconds(s)
            : throw new ArgumentException($"{name} takes a number of seconds, 1 or more.");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} takes a positive whole number.");

    private static HashSet<string> ParseScenarios(string value)
    {
        var chosen = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (chosen.Count == 0 || chosen.Any(s => !AllScenarios.Contains(s)))
            throw new ArgumentException($"--only takes some of: {string.Join(',', AllScenarios)}.");
        return chosen;
    }
}
