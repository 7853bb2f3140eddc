using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Marketplace.Bench.Hosting;

/// <summary>
/// The marketplace service as its own process, as it is deployed: the Release build of Marketplace.Api
/// (dotnet Marketplace.Api.dll), environment Production, configured through environment variables, on a
/// free loopback port. Its memory is read from /proc; its output is drained (and the last lines kept for
/// a failure report).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private int _disposed;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>From Process.Start to the first 200 of GET /health/ready (migrations of a fresh database included).</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>The service's build output: the Marketplace.Api project's own Release folder, built with this program.</summary>
    public static string ApiFolder()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        var roots = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest))!;
        var project = roots.First(pair => pair.Key.StartsWith("Marketplace.Api,", StringComparison.Ordinal)).Value;
        // This program is built in the same configuration as the service it references (bin/<Configuration>/<tfm>/).
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(project, "bin", configuration, tfm);
    }

    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var folder = ApiFolder();
        var dll = Path.Combine(folder, "Marketplace.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"No service build at {dll}: build bench/Marketplace.Bench in Release first.");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var started = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("The service did not start.");
        var address = new Uri($"http://127.0.0.1:{port}/");
        var service = new ServiceProcess(process, address);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (process.HasExited)
            {
                var exit = process.ExitCode;
                await service.DisposeAsync();
                throw new InvalidOperationException($"The service exited ({exit}) before it was ready:\n{service.Tail()}");
            }
            if (started.Elapsed > timeout)
            {
                await service.DisposeAsync();
                throw new InvalidOperationException($"The service was not ready after {timeout.TotalSeconds:0} s:\n{service.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK) break;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(10);
        }

        service.StartToReady = started.Elapsed;
        return service;
    }

    /// <summary>VmRSS (now) and VmHWM (the peak since start) from /proc/&lt;pid&gt;/status, in MiB.</summary>
    public (double RssMiB, double PeakMiB) Memory()
    {
        double Read(string field)
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
            return long.TryParse(kb, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value / 1024.0 : double.NaN;
        }

        return (Read("VmRSS"), Read("VmHWM"));
    }

    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40) _tail.Dequeue();
        }
    }

    public string Tail()
    {
        lock (_tail) return string.Join('\n', _tail);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
