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

    public static async Task<EmulatorHost> StartAsync(TimeProvider clock, Dictionary<string, string?>? settings = null)
    {
        var (app, address) = await LoopbackHost.StartAsync(builder =>
        {
            // In memory unless a test asks for a file: the service's appsettings.json in this folder names one.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["QiwiEmulator:StateFile"] = "" });
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton(clock);
            builder.Services.AddQiwiEmulator(builder.Configuration);
        }, app => app.MapQiwiEmulator());
        return new EmulatorHost(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
