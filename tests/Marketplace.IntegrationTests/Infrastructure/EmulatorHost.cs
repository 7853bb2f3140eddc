using Marketplace.QiwiEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>The QIWI emulator on its own Kestrel port, so the service under test reaches it over real HTTP.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The admin key every test emulator is configured with, unless a test overrides QiwiEmulator:AdminKey.</summary>
    public const string AdminKey = "test-admin-key-7f3a9c1e5b2d4068";

    /// <summary>The admin API client for this emulator, sending <see cref="AdminKey"/>.</summary>
    public EmulatorClient CreateAdminClient() => new(new HttpClient { BaseAddress = BaseAddress }, AdminKey);

    /// <param name="services">Runs before AddQiwiEmulator, so a test's registrations (a fake DNS) win over the defaults.</param>
    public static async Task<EmulatorHost> StartAsync(
        TimeProvider clock, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var (app, address) = await LoopbackHost.StartAsync(builder =>
        {
            // In memory unless a test asks for a file: the service's appsettings.json in this folder names one.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["QiwiEmulator:StateFile"] = "",
                ["QiwiEmulator:AdminKey"] = AdminKey,
            });
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton(clock);
            services?.Invoke(builder.Services);
            builder.Services.AddQiwiEmulator(builder.Configuration);
        }, app => app.MapQiwiEmulator());
        return new EmulatorHost(app, address);
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
