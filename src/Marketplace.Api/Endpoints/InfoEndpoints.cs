using Marketplace.Api.Hosting;
using Marketplace.Application.Payments.Rails;

namespace Marketplace.Api.Endpoints;

public static class InfoEndpoints
{
    /// <summary>What a storefront needs to know before it shows a price: is this play money?</summary>
    public sealed record ServiceInfo(string Mode, bool Sandbox, IReadOnlyCollection<string> Providers, EmulatorInfo? Emulator);

    /// <summary>Where the sandbox's wallet emulator answers; its admin API needs the X-Emulator-Admin-Key header.</summary>
    public sealed record EmulatorInfo(string BasePath, string AdminKeyHeader);

    public static void MapInfoEndpoints(this RouteGroupBuilder api, ServiceModeSetup setup)
    {
        api.MapGet("/info", (IRailRegistry rails) => Results.Ok(new ServiceInfo(
                setup.Mode.Mode.ToString(), setup.Mode.IsSandbox, rails.Methods.Select(m => m.Value).ToArray(),
                setup.EmbeddedEmulator ? new EmulatorInfo(setup.EmulatorPath, Marketplace.QiwiEmulator.EmulatorAdminKey.HeaderName) : null)))
            .WithTags("Service")
            .AllowAnonymous()
            .WithName("GetServiceInfo")
            .WithSummary("Get the operating mode and providers")
            .WithDescription("The service's operating mode (Sandbox: emulated wallets, play money; Live: real wallets) and payment providers.")
            .Produces<ServiceInfo>();
    }
}
