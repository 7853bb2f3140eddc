using Microsoft.AspNetCore.Builder;

namespace Marketplace.QiwiEmulator;

/// <summary>The emulator on its own: <c>dotnet run --project src/Marketplace.QiwiEmulator</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddQiwiEmulator(builder.Configuration);
        var app = builder.Build();
        app.MapQiwiEmulator();
        app.Run();
    }
}
