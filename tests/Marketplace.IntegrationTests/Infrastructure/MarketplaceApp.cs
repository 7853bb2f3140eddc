using Marketplace.Infrastructure.BackgroundJobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>
/// The marketplace service under test: the real host and HTTP pipeline on a fresh PostgreSQL
/// database, talking to a QIWI emulator on its own port. The clock is a <see cref="TestClock"/> shared
/// with the emulator, so expiry is tested by moving time, not by sleeping.
/// </summary>
public sealed class MarketplaceApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private readonly Action<IServiceCollection>? _configureServices;

    private MarketplaceApp(Dictionary<string, string?> settings, TimeProvider clock, EmulatorHost? emulator, Action<IServiceCollection>? configureServices)
    {
        _settings = settings;
        Clock = clock;
        Emulator = emulator;
        _configureServices = configureServices;
    }

    /// <summary>The clock shared by the service and the emulator: a TestClock unless the test asked for real time.</summary>
    public TimeProvider Clock { get; }

    public TestClock FakeClock => Clock as TestClock
                                         ?? throw new InvalidOperationException("This app runs on the real clock.");
    public EmulatorHost? Emulator { get; }
    public string? DatabaseConnectionString => _settings.GetValueOrDefault("ConnectionStrings:Marketplace");

    /// <param name="backgroundWatcher">Run the matcher on its timer (with the real clock), as in production.</param>
    /// <param name="settings">Configuration over the defaults below (e.g. a mode, low limits for a limit's own test, or
    /// ConnectionStrings:Marketplace to reuse a database the test owns); a null value removes the default.</param>
    /// <param name="configureServices">Test replacements of services (e.g. a counting password hasher).</param>
    /// <param name="sharedEmulator">An emulator (and its clock) that outlives this app, for tests that restart the service.</param>
    public static async Task<MarketplaceApp> StartOnPostgresAsync(PostgresServer postgres, bool backgroundWatcher = false,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null,
        (EmulatorHost Host, TimeProvider Clock)? sharedEmulator = null)
    {
        var clock = sharedEmulator?.Clock ?? (backgroundWatcher ? TimeProvider.System : new TestClock(DateTimeOffset.UtcNow));
        var emulator = sharedEmulator?.Host ?? await EmulatorHost.StartAsync(clock);
        var all = new Dictionary<string, string?>
        {
            ["Marketplace:Mode"] = "Sandbox", // the emulator on its own port is a sandbox wallet
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Marketplace"] = settings?.GetValueOrDefault("ConnectionStrings:Marketplace") ?? await postgres.CreateDatabaseAsync(),
            ["Qiwi:BaseUrl"] = emulator.BaseAddress.ToString(),
            ["Qiwi:PaymentFormBaseUrl"] = emulator.BaseAddress.ToString(),
            ["QiwiEmulator:Embedded"] = "false",
            ["PaymentWatcher:Enabled"] = backgroundWatcher ? "true" : "false",
            ["PaymentWatcher:Interval"] = "00:00:00.200",
            ["AfterDelivery:Enabled"] = backgroundWatcher ? "true" : "false",
            ["Webhooks:RelayEnabled"] = backgroundWatcher ? "true" : "false", // tests drive WebhookRelay.RunOnceAsync
            ["Secrets:Keys:test"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Secrets:ActiveKeyId"] = "test",
            ["Auth:AccessTokenLifetime"] = "1.00:00:00", // tests move the clock by hours
            // Under TestServer every request has no remote address, so all tests share one
            // per-address partition: ordinary tests get limits they never reach. AccountSecurityTests
            // starts apps with low limits to test the throttles themselves.
            ["Auth:Throttling:LoginPerAddress:PermitLimit"] = "100000",
            ["Auth:Throttling:LoginPerAccount:PermitLimit"] = "100000",
            ["Auth:Throttling:RegisterPerAddress:PermitLimit"] = "100000",
            ["Auth:Throttling:RefreshPerAddress:PermitLimit"] = "100000",
            // Anti-hoarding limits have their own tests (InventoryAbuseTests); elsewhere they must not interfere.
            ["Orders:RateLimit:PermitLimit"] = "100000",
            ["Orders:Limits:MaxUnpaidOrdersPerBuyer"] = "1000",
            ["Orders:Limits:MaxUnpaidOrdersPerBuyerPerListing"] = "1000",
        };
        // A Live service refuses metrics on its public port without a scrape token (MetricsTests tests that refusal).
        if (string.Equals(settings?.GetValueOrDefault("Marketplace:Mode"), "Live", StringComparison.OrdinalIgnoreCase))
            all["Telemetry:Prometheus:ScrapeToken"] = TestScrapeToken;
        // A null value removes a default (e.g. the test secret key, for an instance that must come without one).
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null) all.Remove(key);
            else all[key] = value;
        }

        var app = new MarketplaceApp(all, clock, emulator, configureServices)
        {
            Postgres = postgres,
            KeepDatabase = settings?.ContainsKey("ConnectionStrings:Marketplace") == true,
            OwnsEmulator = sharedEmulator is null,
        };
        // A Live service redirects plain HTTP (and a redirect drops the bearer token): clients speak HTTPS to it.
        if (string.Equals(all["Marketplace:Mode"], "Live", StringComparison.OrdinalIgnoreCase))
            app.ClientOptions.BaseAddress = new Uri("https://localhost/");
        _ = app.Server; // start now, so migrations run before the first test call
        return app;
    }

    /// <summary>The scrape token a Live app gets unless the test says otherwise.</summary>
    public const string TestScrapeToken = "test-scrape-token-0123456789";

    private PostgresServer? Postgres { get; init; }

    /// <summary>A database passed in by the test belongs to the test: it outlives this app.</summary>
    private bool KeepDatabase { get; init; }

    private bool OwnsEmulator { get; init; } = true;

    /// <summary>
    /// A second instance of the service on the same database and clock (as behind a load balancer,
    /// or after a restart): its own in-memory state, nothing else. Disposing it keeps the database.
    /// </summary>
    /// <param name="extra">Settings of this instance only, over the first's (an instance configured differently).</param>
    public MarketplaceApp StartAnotherInstance(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        var other = new MarketplaceApp(settings, Clock, emulator: null, _configureServices);
        _ = other.Server;
        return other;
    }

    public PaymentWatcher Watcher => Services.GetRequiredService<PaymentWatcher>();

    public ApiClient CreateApiClient() => new(CreateClient());

    public EmulatorClient CreateEmulatorClient() => Emulator!.CreateAdminClient();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            _configureServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Emulator is not null && OwnsEmulator) await Emulator.DisposeAsync();
        if (Postgres is not null && !KeepDatabase && DatabaseConnectionString is { } cs) await Postgres.DropDatabaseAsync(cs);
    }
}
