using Marketplace.QiwiEmulator.Endpoints;
using Marketplace.QiwiEmulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.QiwiEmulator;

/// <summary>Hosts the emulator in any ASP.NET Core app: standalone (Program) or inside the marketplace service.</summary>
public static class QiwiEmulatorExtensions
{
    public static IServiceCollection AddQiwiEmulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmulatorOptions>().Bind(configuration.GetSection(EmulatorOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EmulatorState>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHttpClient(WebhookDispatcher.HttpClientName);
        return services;
    }

    /// <summary>Maps the QIWI paths and the admin API under <paramref name="prefix"/> ("" when standalone).</summary>
    public static RouteGroupBuilder MapQiwiEmulator(this IEndpointRouteBuilder routes, string prefix = "")
    {
        var group = routes.MapGroup(prefix);
        group.ExcludeFromDescription();

        var qiwi = group.MapGroup("").AddEndpointFilter<FaultInjection>();
        WalletInfoEndpoints.Map(qiwi);
        HistoryEndpoints.Map(qiwi);
        PaymentEndpoints.Map(qiwi);
        CommissionEndpoints.Map(qiwi);
        DetectionEndpoints.Map(qiwi);
        WebhookEndpoints.Map(qiwi);

        PaymentFormEndpoints.Map(group);
        AdminEndpoints.Map(group);
        return group;
    }
}
