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

    private MarketplaceApp(Dictionary<string, string?> settings, TimeProvider clock, EmulatorHost? emulator)
    {
        _settings = settings;
        Clock = clock;
        Emulator = emulator;
    }

    /// <summary>The clock shared by the service and the emulator: a TestClock unless the test asked for real time.</summary>
    public TimeProvider Clock { get; }

    public TestClock FakeClock => Clock as TestClock
                                         ?? throw new InvalidOperationException("This app runs on the real clock.");
    public EmulatorHost? Emulator { get; }
    public string? DatabaseConnectionString => _settings.GetValueOrDefault("ConnectionStrings:Marketplace");

    /// <param name="backgroundWatcher">Run the matcher on its timer (with the real clock), as in production.</param>
    /// <param name="extraSettings">Configuration that overrides the defaults below (e.g. low limits for a limit's own test).</param>
    public static async Task<MarketplaceApp> StartOnPostgresAsync(
        PostgresServer postgres, bool backgroundWatcher = false, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        TimeProvider clock = backgroundWatcher ? TimeProvider.System : new TestClock(DateTimeOffset.UtcNow);
        var emulator = await EmulatorHost.StartAsync(clock);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Marketplace"] = await postgres.CreateDatabaseAsync(),
            ["Qiwi:BaseUrl"] = emulator.BaseAddress.ToString(),
            ["QiwiEmulator:Embedded"] = "false",
            ["PaymentWatcher:Enabled"] = backgroundWatcher ? "true" : "false",
            ["PaymentWatcher:Interval"] = "00:00:00.200",
            ["Secrets:Keys:test"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Secrets:ActiveKeyId"] = "test",
            ["Auth:AccessTokenLifetime"] = "1.00:00:00", // tests move the clock by hours
            // Anti-hoarding limits have their own tests (InventoryAbuseTests); elsewhere they must not interfere.
            ["Orders:RateLimit:PermitLimit"] = "100000",
            ["Orders:Limits:MaxUnpaidOrdersPerBuyer"] = "1000",
            ["Orders:Limits:MaxUnpaidOrdersPerBuyerPerListing"] = "1000",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        var app = new MarketplaceApp(settings, clock, emulator) { Postgres = postgres };
        _ = app.Server; // start now, so migrations run before the first test call
        return app;
    }

    private PostgresServer? Postgres { get; init; }

    public PaymentWatcher Watcher => Services.GetRequiredService<PaymentWatcher>();

    public ApiClient CreateApiClient() => new(CreateClient());

    public EmulatorClient CreateEmulatorClient() => new(new HttpClient { BaseAddress = Emulator!.BaseAddress });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Emulator is not null) await Emulator.DisposeAsync();
        if (Postgres is not null && DatabaseConnectionString is { } cs) await Postgres.DropDatabaseAsync(cs);
    }
}
