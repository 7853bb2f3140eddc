using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>
/// The service as `dotnet run` starts it: SQLite, secrets key, emulator state and its generated admin
/// key all in one folder (which outlives the app, as data/ does), the emulator embedded under
/// /qiwi-emulator and reached over real HTTP. Call <c>UseKestrel(0)</c> and <c>StartServer()</c>.
/// </summary>
public sealed class EmbeddedApp(string folder, bool watcher = true) : WebApplicationFactory<Program>
{
    public string Folder => folder;

    /// <summary>The key the embedded emulator generated into the folder at its first start.</summary>
    public string AdminKeyFile => Path.Combine(folder, "qiwi-emulator-admin-key");

    /// <summary>The embedded emulator's admin API and QIWI paths, with the generated admin key.</summary>
    public EmulatorClient CreateEmulatorClient()
    {
        var http = CreateClient();
        return new EmulatorClient(new HttpClient { BaseAddress = new Uri(http.BaseAddress!, "/qiwi-emulator/") },
            File.ReadAllText(AdminKeyFile).Trim());
    }

    public ApiClient CreateApiClient() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Marketplace:Mode", "Sandbox");
        builder.UseSetting("ConnectionStrings:Marketplace", $"Data Source={Path.Combine(folder, "marketplace.db")}");
        builder.UseSetting("Secrets:KeyFile", Path.Combine(folder, "secret-keys.json"));
        builder.UseSetting("QiwiEmulator:StateFile", Path.Combine(folder, "qiwi-emulator.json"));
        builder.UseSetting("PaymentWatcher:Enabled", watcher ? "true" : "false");
        builder.UseSetting("PaymentWatcher:Interval", "00:00:00.200");
        builder.UseSetting("AfterDelivery:Enabled", watcher ? "true" : "false");
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}
