using Marketplace.Bench.Matcher;
using Marketplace.Bench.Rules;

namespace Marketplace.Bench;

/// <summary>
/// Benchmarks (docs/benchmarks.md), chosen by the first argument:
/// <c>rules</c>, BenchmarkDotNet micro-benchmarks of the pure payment rules (no I/O), and
/// <c>matcher</c>, a load driver: the service on PostgreSQL reading the QIWI emulator over HTTP, and
/// <c>import</c>, a bulk key upload through the API, and
/// <c>load</c>, HTTP load on the order path and the catalog of the service as its own process, beside pgbench.
/// (Not top-level statements: those would be a second <c>Program</c>, beside the service's.)
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args) => args switch
    {
        ["rules", .. var rest] => RulesBenchmarks.Run(rest),
        ["matcher", .. var rest] => await MatcherBenchmark.RunAsync(rest),
        // The emulator in a process of its own (matcher --emulator-process starts it; not meant to be typed).
        ["emulator", .. var rest] => await Hosting.EmulatorHost.ServeAsync(rest),
        ["import", .. var rest] => await Import.ImportBenchmark.RunAsync(rest),
        ["load", .. var rest] => await Load.LoadBenchmark.RunAsync(rest),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("""
            Usage: dotnet run -c Release --project bench/Marketplace.Bench -- rules [BenchmarkDotNet options, e.g. --filter *Comment*]
                   dotnet run -c Release --project bench/Marketplace.Bench -- matcher [options]
                   dotnet run -c Release --project bench/Marketplace.Bench -- import [--keys 100000] [--runs 3] [--warmup 20000] [--postgres CONNECTION_STRING]
                   dotnet run -c Release --project bench/Marketplace.Bench -- load [options, see load --help]

            matcher options [defaults]:
            """);
        Console.Error.WriteLine(MatcherSettings.Help);
        return 2;
    }
}
