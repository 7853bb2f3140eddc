using Marketplace.Infrastructure.BackgroundJobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Bench.Hosting;

/// <summary>
/// The marketplace service: the real host (Program), its HTTP pipeline in memory, on its own fresh
/// PostgreSQL database, calling the QIWI emulator over real HTTP on the emulator's own port. The
/// clock is the system clock. Disposing it drops the database.
/// </summary>
public sealed class ServiceHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly PostgresCluster _postgres;

    private readonly ILoggerProvider? _extraLogs;

    private ServiceHost(Dictionary<string, string?> settings, PostgresCluster postgres, ILoggerProvider? extraLogs)
    {
        _settings = settings;
        _postgres = postgres;
        _extraLogs = extraLogs;
    }

    /// <param name="backgroundWatcher">Run the matcher on its timer, as in production; otherwise the benchmark calls RunOnceAsync.</param>
    /// <param name="settings">Configuration over the defaults below.</param>
    /// <param name="extraLogs">A logger beside the warning counter (e.g. one that prints a category's Debug lines).</param>
    public static async Task<ServiceHost> StartAsync(
        PostgresCluster postgres, EmulatorHost emulator, bool backgroundWatcher, IReadOnlyDictionary<string, string?>? settings = null,
        ILoggerProvider? extraLogs = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Marketplace:Mode"] = "Sandbox",
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Marketplace"] = await postgres.CreateDatabaseAsync(),
            ["Qiwi:BaseUrl"] = emulator.BaseAddress.ToString(),
            ["Qiwi:PaymentFormBaseUrl"] = emulator.BaseAddress.ToString(),
            ["QiwiEmulator:Embedded"] = "false",
            ["PaymentWatcher:Enabled"] = backgroundWatcher ? "true" : "false",
            ["Secrets:Keys:bench"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Secrets:ActiveKeyId"] = "bench",
            // Every in-memory request comes from no address: one partition for the whole benchmark.
            ["Auth:Throttling:LoginPerAddress:PermitLimit"] = "100000",
            ["Auth:Throttling:LoginPerAccount:PermitLimit"] = "100000",
            ["Auth:Throttling:RegisterPerAddress:PermitLimit"] = "100000",
            ["Auth:Throttling:RefreshPerAddress:PermitLimit"] = "100000",
            // A few buyer accounts place thousands of orders: the anti-hoarding caps must not interfere.
            ["Orders:RateLimit:PermitLimit"] = "10000000",
            ["Orders:Limits:MaxUnpaidOrdersPerBuyer"] = "10000000",
            ["Orders:Limits:MaxUnpaidOrdersPerBuyerPerListing"] = "10000000",
            // Warnings only: the benchmark prints its own progress (appsettings.json logs Information).
            ["Logging:LogLevel:Default"] = "Warning",
            // On a fresh database EF Core logs its look for the migrations history table as a failed command.
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Critical",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var host = new ServiceHost(all, postgres, extraLogs);
        _ = host.Server; // start now: migrations run here
        return host;
    }

    public PaymentWatcher Watcher => Services.GetRequiredService<PaymentWatcher>();

    /// <summary>The service's warnings and errors, counted by kind.</summary>
    public LogCounter Logs { get; } = new();

    public ApiClient CreateApiClient() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        builder.UseContentRoot(ApiContentRoot());
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        // Counted, not printed: each scenario reports the service's warnings and errors, by kind.
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders().SetMinimumLevel(LogLevel.Warning).AddProvider(Logs);
            if (_extraLogs is not null) logging.AddProvider(_extraLogs);
        });
    }

    /// <summary>
    /// The service's project folder, from the manifest the Mvc.Testing package writes beside this program.
    /// (WebApplicationFactory looks for that manifest in the current folder, which under dotnet run is
    /// the repository root, and would then guess a wrong folder.)
    /// </summary>
    private static string ApiContentRoot()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        var roots = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest))!;
        return roots.First(pair => pair.Key.StartsWith("Marketplace.Api,", StringComparison.Ordinal)).Value;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_settings["ConnectionStrings:Marketplace"] is { } connectionString) await _postgres.DropDatabaseAsync(connectionString);
    }
}
