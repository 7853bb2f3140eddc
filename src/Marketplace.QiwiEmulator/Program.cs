using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Marketplace.QiwiEmulator;

/// <summary>
/// The emulator on its own: <c>dotnet run --project src/Marketplace.QiwiEmulator</c>. Standalone, it
/// keeps its state in data/qiwi-emulator.json (QiwiEmulator:StateFile) so wallets survive restarts.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{EmulatorOptions.Section}:StateFile"] = "data/qiwi-emulator.json",
        });
        // Command line and environment still win over the default above.
        builder.Configuration.AddEnvironmentVariables().AddCommandLine(args);
        builder.Services.AddQiwiEmulator(builder.Configuration);
        var app = builder.Build();
        app.MapQiwiEmulator();
        app.Run();
    }
}
