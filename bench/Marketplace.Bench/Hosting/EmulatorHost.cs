using System.Collections.Concurrent;
using Marketplace.QiwiEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Bench.Hosting;

/// <summary>
/// The QIWI emulator on its own Kestrel port, so the service reaches it over real HTTP, with a counting
/// middleware in front of it: every request the emulator served, by kind, and history pages by wallet.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key-4c1d8e2a9f7b3065";

    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, Uri baseAddress, EmulatorRequestCounter counter)
    {
        _app = app;
        BaseAddress = baseAddress;
        Requests = counter;
    }

    public Uri BaseAddress { get; }

    public EmulatorRequestCounter Requests { get; }

    public EmulatorClient CreateAdminClient() => new(new HttpClient { BaseAddress = BaseAddress }, AdminKey);

    public static async Task<EmulatorHost> StartAsync(Dictionary<string, string?> settings)
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
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await next(context);
                counter.Record(context.Request.Path, context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            });
            app.MapQiwiEmulator();
        });
        return new EmulatorHost(app, address, counter);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the emulator served since the last <see cref="Reset"/>.</summary>
public sealed class EmulatorRequestCounter
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
