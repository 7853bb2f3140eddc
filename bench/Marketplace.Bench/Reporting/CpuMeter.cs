using System.Diagnostics;
using System.Globalization;

namespace Marketplace.Bench.Reporting;

/// <summary>
/// CPU time spent over a stretch of wall time by this process (the service, the emulator and the driver
/// share it) and by every PostgreSQL process, from /proc. With both near the machine's cores × wall time
/// the run is CPU-bound; far below it, it waits (round trips, fsync, locks). PostgreSQL is counted only
/// when this run started the cluster (its postmaster and that postmaster's children), so other clusters
/// on the machine are not; a backend that exits meanwhile is counted through the postmaster's time of
/// reaped children (pgbench's connections end with its run).
/// </summary>
public sealed class CpuMeter
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux
    private readonly int? _postmaster;
    private readonly int? _emulator;
    private readonly TimeSpan _emulatorStart;
    private readonly TimeSpan _selfStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan _postgresStart;
    private readonly TimeSpan _machineStart = MachineBusy();
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    /// <param name="emulator">The emulator's own process, when it runs in one (else it is part of this process).</param>
    public CpuMeter(int? postmaster, int? emulator = null)
    {
        _postmaster = postmaster;
        _emulator = emulator;
        _postgresStart = PostgresCpu(postmaster);
        _emulatorStart = ProcessCpu(emulator);
    }

    private static TimeSpan ProcessCpu(int? pid)
    {
        if (pid is not { } id) return TimeSpan.Zero;
        try
        {
            return Process.GetProcessById(id).TotalProcessorTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>CPU time the whole machine spent busy (all processes), from the first line of /proc/stat.</summary>
    private static TimeSpan MachineBusy()
    {
        if (!File.Exists("/proc/stat")) return TimeSpan.Zero;
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
        long busy = 0;
        for (var i = 1; i < fields.Length && i <= 8; i++)
            if (i is not (4 or 5)) busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(busy / ClockTicksPerSecond);
    }

    public CpuSample Sample()
    {
        var self = (Process.GetCurrentProcess().TotalProcessorTime - _selfStart).TotalSeconds;
        double? postgres = _postmaster is null ? null : (PostgresCpu(_postmaster) - _postgresStart).TotalSeconds;
        double? emulator = _emulator is null ? null : (ProcessCpu(_emulator) - _emulatorStart).TotalSeconds;
        var machine = (MachineBusy() - _machineStart).TotalSeconds;
        return new CpuSample(_wall.Elapsed.TotalSeconds, self, postgres, Math.Max(0, machine - self - (postgres ?? 0) - (emulator ?? 0)), emulator);
    }

    public string Describe() => Sample().Describe();

    private static TimeSpan PostgresCpu(int? postmaster)
    {
        if (postmaster is not { } root) return TimeSpan.Zero;
        long ticks = 0;
        foreach (var dir in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                if (close < 0) continue;
                // Fields after the command: state is field 3, ppid field 4; utime and stime are fields 14 and 15.
                var fields = stat[(close + 2)..].Split(' ');
                var pid = int.Parse(stat[..stat.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                if (pid != root && int.Parse(fields[1], CultureInfo.InvariantCulture) != root) continue;
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                // The postmaster's cutime and cstime (fields 16 and 17): backends that exited, once it reaped them.
                if (pid == root) ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // a process that ended meanwhile, or not ours to read
            }
        }

        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }
}

/// <summary>
/// Seconds of wall time, of this process's CPU, of PostgreSQL's CPU (null when not measured), of everything
/// else on the machine, and of the emulator's own process (null when it runs in this one).
/// </summary>
public sealed record CpuSample(double Wall, double Self, double? Postgres, double Others, double? Emulator = null)
{
    public static CpuSample operator +(CpuSample a, CpuSample b) =>
        new(a.Wall + b.Wall, a.Self + b.Self, a.Postgres is { } x && b.Postgres is { } y ? x + y : null, a.Others + b.Others,
            a.Emulator is { } e && b.Emulator is { } f ? e + f : null);

    /// <summary>What the process is called in the reports: with the emulator in it, or the service alone.</summary>
    public string SelfName => Emulator is null ? "service + emulator process" : "service process";

    public string Describe() => Emulator is { } emulator
        ? string.Create(CultureInfo.InvariantCulture,
            $"CPU over {Wall:0.00} s of wall time: service process {Self:0.00} s, emulator process {emulator:0.00} s, PostgreSQL {Postgres ?? 0:0.00} s; " +
            $"together {(Self + emulator + (Postgres ?? 0)) / (Wall * Environment.ProcessorCount):P0} of the machine's {Environment.ProcessorCount} cores; " +
            $"other processes {Others:0.00} s")
        : Postgres is not { } postgres
        ? string.Create(CultureInfo.InvariantCulture,
            $"CPU over {Wall:0.00} s of wall time: this process {Self:0.00} s ({Self / Wall:P0} of one core); every other process {Others:0.00} s")
        : string.Create(CultureInfo.InvariantCulture,
            $"CPU over {Wall:0.00} s of wall time: service + emulator process {Self:0.00} s, PostgreSQL {postgres:0.00} s; " +
            $"together {(Self + postgres) / (Wall * Environment.ProcessorCount):P0} of the machine's {Environment.ProcessorCount} cores; " +
            $"other processes {Others:0.00} s");
}
