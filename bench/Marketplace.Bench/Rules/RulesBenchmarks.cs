using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Marketplace.Bench.Reporting;

namespace Marketplace.Bench.Rules;

/// <summary>
/// Runs the micro-benchmarks of the pure rules with a short job (BenchmarkDotNet's ShortRun: one
/// launch, 3 warm-up and 3 measured iterations) in this process, so the whole set takes a minute or two.
/// Extra arguments go to BenchmarkDotNet (e.g. <c>--filter *Comment*</c>).
/// </summary>
public static class RulesBenchmarks
{
    private static readonly Type[] Benchmarks =
        [typeof(PaymentCommentBenchmarks), typeof(OrderPaymentBenchmarks), typeof(HistoryCursorBenchmarks), typeof(JsonBenchmarks)];

    public static int Run(string[] args)
    {
        var loadAtStart = MachineInfo.LoadAverage();
        var cpu = new CpuMeter(postmaster: null);
        var artifacts = Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts");
        var config = ManualConfig.CreateMinimumViable()
            // In process: no child project to generate and build for each class, which keeps the run short.
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts);
        var summaries = BenchmarkSwitcher.FromTypes(Benchmarks).Run(args.Length == 0 ? ["--filter", "*"] : args, config).ToList();

        Console.WriteLine();
        Console.WriteLine("## Rules: machine");
        Console.WriteLine();
        Console.WriteLine(MachineInfo.Describe(postgresVersion: null, loadAtStart: loadAtStart)
            .Add("CPU during the run", cpu.Describe()).ToMarkdown());
        Console.WriteLine($"Full BenchmarkDotNet reports: {Path.Combine(artifacts, "results")}");
        return summaries.Count > 0 && summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success)) ? 0 : 1;
    }
}
