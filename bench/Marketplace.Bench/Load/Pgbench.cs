using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Marketplace.Bench.Load;

/// <summary>What a pgbench run reported: transactions per second, failed transactions, latency (from its per-transaction log), and each statement's average latency (-r).</summary>
public sealed record PgbenchResult(double Tps, long Transactions, long Failed, Latencies Latency, string? Error, IReadOnlyList<(double Ms, string Command)> PerStatement);

/// <summary>
/// pgbench (the machine's, /usr/bin/pgbench or on PATH) against the service's database: the captured script,
/// extended protocol like Npgsql (-M extended: parameters, no server-side prepared statements), C clients on
/// 2 threads, for a fixed time, with a per-transaction log for the percentiles.
/// </summary>
public static partial class Pgbench
{
    public static string? Find() =>
        new[] { "/usr/bin/pgbench" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "pgbench")))
            .FirstOrDefault(File.Exists);

    public static async Task<PgbenchResult> RunAsync(string pgbench, string connectionString, string script, int clients, TimeSpan duration, bool log)
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-bench-pgbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var scriptFile = Path.Combine(folder, "place-order.sql");
            await File.WriteAllTextAsync(scriptFile, script);
            var connection = new NpgsqlConnectionStringBuilder(connectionString);
            var start = new ProcessStartInfo(pgbench)
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         "-n", "-M", "extended", "-c", clients.ToString(CultureInfo.InvariantCulture),
                         "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                         "-T", Math.Max(1, (int)Math.Round(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
                         "-f", scriptFile, "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture),
                         "-U", connection.Username!,
                     })
                start.ArgumentList.Add(argument);
            if (log)
            {
                start.ArgumentList.Add("-r");
                start.ArgumentList.Add("-l");
                start.ArgumentList.Add("--log-prefix=" + Path.Combine(folder, "tx"));
            }

            start.ArgumentList.Add(connection.Database!);
            if (connection.Password is { } password) start.Environment["PGPASSWORD"] = password;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var output = await stdout + "\n" + await stderr;

            var tps = TpsPattern().Match(output) is { Success: true } t ? double.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var processed = ProcessedPattern().Match(output) is { Success: true } p ? long.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var failed = FailedPattern().Match(output) is { Success: true } f ? long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var latencies = new List<double>();
            if (log)
            {
                // client_id transaction_no time script_no time_epoch time_us: time is the latency in microseconds ("failed" when it failed).
                foreach (var file in Directory.EnumerateFiles(folder, "tx.*"))
                foreach (var line in File.ReadLines(file))
                {
                    var fields = line.Split(' ');
                    if (fields.Length > 2 && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var micros))
                        latencies.Add(micros / 1000.0);
                }
            }

            var aborted = output.Contains("aborted", StringComparison.Ordinal) || process.ExitCode != 0;
            var error = aborted ? FirstErrors(output) : null;
            return new PgbenchResult(tps, processed, failed, Latencies.From(latencies), error, PerStatement(output));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The "statement latencies in milliseconds" block of -r: average latency, failures, first line of each command.</summary>
    private static List<(double Ms, string Command)> PerStatement(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("statement latencies in milliseconds", StringComparison.Ordinal));
        var result = new List<(double, string)>();
        if (start < 0) return result;
        foreach (var line in lines.Skip(start + 1))
        {
            var match = StatementLatencyPattern().Match(line);
            if (!match.Success) break;
            result.Add((double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value.Trim()));
        }

        return result;
    }

    [GeneratedRegex(@"^\s+([0-9.]+)\s+(?:\d+\s+)?(\S.*)$")]
    private static partial Regex StatementLatencyPattern();

    private static string FirstErrors(string output) =>
        string.Join(" / ", output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("abort", StringComparison.OrdinalIgnoreCase))
            .Take(3).Select(l => l.Length > 300 ? l[..300] + "..." : l));

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex ProcessedPattern();

    [GeneratedRegex(@"number of failed transactions: (\d+)")]
    private static partial Regex FailedPattern();
}
