using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace Marketplace.Bench.Load;

/// <summary>
/// A closed-loop HTTP load: N workers, each on its own keep-alive connection, each sending its next request
/// as soon as the previous answer is read. A warm-up first (same load, not counted), then the measured
/// stretch: requests that started in it and were answered, their latency from send to the last byte
/// of the body, and the answers by status.
/// </summary>
public static class HttpLoad
{
    /// <param name="request">Builds worker w's next request (w from 0 to connections - 1).</param>
    public static async Task<LoadResult> RunAsync(
        Uri baseAddress, int connections, TimeSpan warmUp, TimeSpan duration, Func<int, HttpRequestMessage> request)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
        };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var clock = Stopwatch.StartNew();
        var measureFrom = warmUp;
        var measureTo = warmUp + duration;
        var latencies = new List<long>[connections];
        var statuses = new Dictionary<string, int>[connections];
        var warmUpCount = new int[connections];

        async Task Worker(int w)
        {
            var mine = latencies[w] = new List<long>(4096);
            var byStatus = statuses[w] = new Dictionary<string, int>(StringComparer.Ordinal);
            while (true)
            {
                var sent = clock.Elapsed;
                if (sent >= measureTo) return;
                string status;
                try
                {
                    using var message = request(w);
                    using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                    status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = ex.GetType().Name;
                }

                var took = clock.Elapsed - sent;
                if (sent < measureFrom)
                {
                    warmUpCount[w]++;
                    continue;
                }

                mine.Add(took.Ticks);
                byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(w => Task.Run(() => Worker(w))));
        var all = latencies.SelectMany(l => l).ToArray();
        var merged = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (status, count) in statuses.SelectMany(s => s)) merged[status] = merged.GetValueOrDefault(status) + count;
        return new LoadResult(all.Length, duration, Latencies.From(all.Select(t => TimeSpan.FromTicks(t).TotalMilliseconds)), merged,
            warmUp > TimeSpan.Zero ? warmUpCount.Sum() / warmUp.TotalSeconds : 0);
    }

    public static HttpRequestMessage Get(string path, AuthenticationHeaderValue? auth = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, path);
        if (auth is not null) message.Headers.Authorization = auth;
        return message;
    }
}

/// <summary>What one measured stretch gave: answered requests, their latencies, answers by status (or exception).</summary>
public sealed record LoadResult(int Requests, TimeSpan Duration, Latencies Latency, IReadOnlyDictionary<string, int> ByStatus, double WarmUpRate)
{
    public double PerSecond => Requests / Duration.TotalSeconds;

    public int Count(string status) => ByStatus.GetValueOrDefault(status);

    /// <summary>"201: 4,810; 409: 2": every status, most frequent first.</summary>
    public string Statuses => ByStatus.Count == 0
        ? "none"
        : string.Join("; ", ByStatus.OrderByDescending(p => p.Value).Select(p => $"{p.Key}: {p.Value.ToString("N0", CultureInfo.InvariantCulture)}"));
}

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record Latencies(double P50, double P99, double Max, double Mean)
{
    public static Latencies From(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0) return new Latencies(double.NaN, double.NaN, double.NaN, double.NaN);
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Latencies(At(0.50), At(0.99), sorted[^1], sorted.Average());
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50:0.0} ms, p99 {P99:0.0} ms");
}
