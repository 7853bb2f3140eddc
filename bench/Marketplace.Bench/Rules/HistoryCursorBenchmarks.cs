using BenchmarkDotNet.Attributes;
using Marketplace.Domain.Wallets;

namespace Marketplace.Bench.Rules;

/// <summary>
/// <see cref="HistoryCursor.HasRead"/>: the expiry job asks it once per overdue order, against the
/// wallet's cursor with however many gaps a flood left.
/// </summary>
[MemoryDiagnoser]
public class HistoryCursorBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private HistoryCursor _cursor = new();
    private DateTimeOffset _clearFrom, _clearTo, _gapFrom, _gapTo;

    [Params(0, 3, 20)]
    public int Gaps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cursor = new HistoryCursor { ReadUpTo = Now };
        // Gaps an hour apart, each ten minutes long, reaching back from two hours ago.
        for (var i = 0; i < Gaps; i++)
        {
            var to = Now - TimeSpan.FromHours(2 + i);
            _cursor.LeaveGap(to - TimeSpan.FromMinutes(10), to, "continuation", to - TimeSpan.FromMinutes(5), Now);
        }

        (_clearFrom, _clearTo) = (Now - TimeSpan.FromMinutes(40), Now - TimeSpan.FromMinutes(5));
        // An order's range reaching into the oldest gap (the last one in the list): every gap is looked at.
        var oldestTo = Now - TimeSpan.FromHours(1 + Gaps);
        (_gapFrom, _gapTo) = (oldestTo - TimeSpan.FromMinutes(30), oldestTo + TimeSpan.FromMinutes(5));
    }

    [Benchmark(Baseline = true, Description = "range read (no gap touches it)")]
    public bool RangeRead() => _cursor.HasRead(_clearFrom, _clearTo);

    [Benchmark(Description = "range touching the oldest gap")]
    public bool RangeTouchingOldestGap() => _cursor.HasRead(_gapFrom, _gapTo);

    [Benchmark(Description = "range not read yet (after ReadUpTo)")]
    public bool RangeAhead() => _cursor.HasRead(Now, Now.AddMinutes(5));
}
