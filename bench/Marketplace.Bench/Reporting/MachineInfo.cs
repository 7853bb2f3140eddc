using System.Globalization;
using System.Runtime.InteropServices;

namespace Marketplace.Bench.Reporting;

/// <summary>The machine a figure came from: CPU model, cores, memory, OS, .NET and PostgreSQL versions.</summary>
public static class MachineInfo
{
    public static MarkdownTable Describe(string? postgresVersion, string? postgresSettings = null, string? loadAtStart = null)
    {
        var table = new MarkdownTable("Machine", "")
            .Add("Date (UTC)", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .Add("CPU", CpuModel())
            .Add("Cores (logical)", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture))
            .Add("RAM", Memory())
            .Add("OS", $"{OsName()} ({RuntimeInformation.OSDescription})")
            .Add(".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture}), server GC: {System.Runtime.GCSettings.IsServerGC}");
        if (loadAtStart is not null) table.Add("Load average (1/5/15 min) at the start", loadAtStart);
        table.Add("Load average (1/5/15 min) at the end", LoadAverage());
        if (postgresVersion is not null) table.Add("PostgreSQL", postgresVersion);
        if (postgresSettings is not null) table.Add("PostgreSQL settings", postgresSettings);
        return table;
    }

    private static string CpuModel() =>
        ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()
            : RuntimeInformation.ProcessArchitecture.ToString();

    private static string Memory()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? $"{value / 1024.0 / 1024.0:0.0} GiB"
            : "unknown";
    }

    private static string OsName() =>
        ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) is { } line
            ? line["PRETTY_NAME=".Length..].Trim('"')
            : RuntimeInformation.OSDescription;

    /// <summary>Other work on the machine skews every figure: say how busy it was.</summary>
    public static string LoadAverage() =>
        ReadLines("/proc/loadavg").FirstOrDefault() is { } line ? string.Join(" / ", line.Split(' ').Take(3)) : "unknown";

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
