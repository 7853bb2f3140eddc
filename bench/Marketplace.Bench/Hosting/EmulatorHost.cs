using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Marketplace.QiwiEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Bench.Hosting;

/// <summary>
/// The QIWI emulator on its own Kestrel port, so the service reaches it over real HTTP, with a counting
/// middleware in front of it: every request the emulator served, by kind, and history pages by wallet.
/// In this process by default; with <c>--emulator-process</c> in a child process of its own (this program
/// run as <c>emulator</c>), so its CPU is not counted as the service's; the counts are then read over HTTP.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key-4c1d8e2a9f7b3065";
    private const string CountsPath = "bench/requests";
    private const string ListeningLine = "LISTENING ";

    private readonly WebApplication? _app;
    private readonly Process? _process;

    private EmulatorHost(WebApplication? app, Process? process, Uri baseAddress, IEmulatorRequests requests)
    {
        _app = app;
        _process = process;
        BaseAddress = baseAddress;
        Requests = requests;
    }

    public Uri BaseAddress { get; }

    public IEmulatorRequests Requests { get; }

    /// <summary>The child process serving the emulator; null when it runs in this process.</summary>
    public int? ProcessId => _process?.Id;

    public EmulatorClient CreateAdminClient() => new(new HttpClient { BaseAddress = BaseAddress }, AdminKey);

    public static async Task<EmulatorHost> StartAsync(Dictionary<string, string?> settings, bool ownProcess = false)
    {
        if (ownProcess) return await StartProcessAsync(settings);
        var (app, address, counter) = await HostAsync(settings);
        return new EmulatorHost(app, null, address, counter);
    }

    /// <summary>The emulator with its counter, on a loopback port of this process; also what the child process runs.</summary>
    private static async Task<(WebApplication App, Uri Address, EmulatorRequestCounter Counter)> HostAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var counter = new EmulatorRequestCounter();
        var (app, address) = await LoopbackHost.StartAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["QiwiEmulator:StateFile"] = "", // in memory
                ["QiwiEmulator:AdminKey"] = AdminKey,
            });
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddQiwiEmulator(builder.Configuration);
        }, app =>
        {
            app.Use(async (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/" + CountsPath))
                {
                    // The parent's view of the counts (not counted itself).
                    if (HttpMethods.IsDelete(context.Request.Method)) counter.Reset();
                    else await context.Response.WriteAsJsonAsync(counter.Snapshot());
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                await next(context);
                counter.Record(context.Request.Path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            });
            app.MapQiwiEmulator();
        });
        return (app, address, counter);
    }

    /// <summary>This program again, as <c>emulator key=value ...</c>; it prints its address and serves until its input closes.</summary>
    private static async Task<EmulatorHost> StartProcessAsync(Dictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet") start.ArgumentList.Add(typeof(EmulatorHost).Assembly.Location);
        start.ArgumentList.Add("emulator");
        foreach (var (key, value) in settings) start.ArgumentList.Add($"{key}={value}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The emulator process did not start.");
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith(ListeningLine, StringComparison.Ordinal)) continue;
            var address = new Uri(line[ListeningLine.Length..]);
            return new EmulatorHost(null, process, address, new RemoteEmulatorRequests(new HttpClient { BaseAddress = new Uri(address, CountsPath) }));
        }

        throw new InvalidOperationException("The emulator process ended before it listened.");
    }

    /// <summary>The <c>emulator</c> command: serves until standard input closes (the parent ended or disposed it).</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var settings = args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1], StringComparer.Ordinal);
        var (app, address, _) = await HostAsync(settings);
        Console.WriteLine(ListeningLine + address);
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_process is not null)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill();
            _process.Dispose();
        }
    }
}

/// <summary>What the emulator served since the last <see cref="Reset"/>.</summary>
public interface IEmulatorRequests
{
    /// <summary>Time the emulator spent serving requests (summed wall time from its first middleware on).</summary>
    TimeSpan Serving { get; }

    /// <summary>History pages served per wallet (wallets asked at least once).</summary>
    IReadOnlyCollection<int> HistoryPagesPerWallet { get; }

    void Reset();

    int Count(string kind);
}

/// <summary>The counts as they travel from the emulator's process to the benchmark's.</summary>
public sealed record EmulatorRequestSnapshot(long ServingTicks, Dictionary<string, int> ByKind, List<int> HistoryPagesPerWallet);

/// <summary>
/// The counts of an emulator in another process, read over HTTP. Synchronous (the scenarios read counts
/// between passes, never while one runs), so it blocks on the call: harmless in a console program.
/// </summary>
public sealed class RemoteEmulatorRequests(HttpClient http) : IEmulatorRequests
{
    private EmulatorRequestSnapshot Fetch() =>
        http.GetFromJsonAsync<EmulatorRequestSnapshot>("").GetAwaiter().GetResult()!;

    public TimeSpan Serving => TimeSpan.FromTicks(Fetch().ServingTicks);

    public IReadOnlyCollection<int> HistoryPagesPerWallet => Fetch().HistoryPagesPerWallet;

    public void Reset() => http.DeleteAsync("").GetAwaiter().GetResult().EnsureSuccessStatusCode();

    public int Count(string kind) => Fetch().ByKind.GetValueOrDefault(kind);
}

/// <summary>What the emulator served since the last <see cref="Reset"/>.</summary>
public sealed class EmulatorRequestCounter : IEmulatorRequests
{
    private const string HistoryPrefix = "/payment-history/v2/persons/";
    private readonly ConcurrentDictionary<string, int> _byKind = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _historyPagesByWallet = new(StringComparer.Ordinal);

    private long _ticks;

    /// <summary>Time the emulator spent serving requests (summed wall time from its first middleware on): its share of the run's CPU at most.</summary>
    public TimeSpan Serving => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public void Record(PathString path, int status, TimeSpan took)
    {
        Interlocked.Add(ref _ticks, took.Ticks);
        var value = path.Value ?? "";
        string kind;
        if (value.StartsWith(HistoryPrefix, StringComparison.Ordinal) && value.EndsWith("/payments", StringComparison.Ordinal))
        {
            kind = status == StatusCodes.Status200OK ? "history page" : $"history page ({status})";
            var wallet = value[HistoryPrefix.Length..value.IndexOf('/', HistoryPrefix.Length)];
            _historyPagesByWallet.AddOrUpdate(wallet, 1, (_, n) => n + 1);
        }
        else if (value.StartsWith("/payment-history/", StringComparison.Ordinal)) kind = "transaction lookup";
        else if (value.StartsWith("/admin/", StringComparison.Ordinal)) kind = "admin";
        else if (value.StartsWith("/sinap/", StringComparison.Ordinal)) kind = "payment";
        else kind = "other";
        _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    public EmulatorRequestSnapshot Snapshot() =>
        new(Interlocked.Read(ref _ticks), new Dictionary<string, int>(_byKind, StringComparer.Ordinal), [.. _historyPagesByWallet.Values]);

    public void Reset()
    {
        Interlocked.Exchange(ref _ticks, 0);
        _byKind.Clear();
        _historyPagesByWallet.Clear();
    }

    public int Count(string kind) => _byKind.GetValueOrDefault(kind);

    public IReadOnlyDictionary<string, int> ByKind => new Dictionary<string, int>(_byKind, StringComparer.Ordinal);

    /// <summary>History pages served per wallet (wallets asked at least once).</summary>
    public IReadOnlyCollection<int> HistoryPagesPerWallet => _historyPagesByWallet.Values.ToList();
}
