using Marketplace.QiwiEmulator.Endpoints;
using Marketplace.QiwiEmulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.QiwiEmulator;

/// <summary>Hosts the emulator in any ASP.NET Core app: standalone (Program) or inside the marketplace service.</summary>
public static class QiwiEmulatorExtensions
{
    public static IServiceCollection AddQiwiEmulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmulatorOptions>()
            // Registered before Bind, so explicit configuration (QiwiEmulator:AllowLoopbackWebhooks) wins:
            // non-public webhook targets are allowed by default only in Development.
            .Configure<IServiceProvider>((options, provider) =>
                options.AllowLoopbackWebhooks = provider.GetService<IHostEnvironment>()?.IsDevelopment() == true)
            .Bind(configuration.GetSection(EmulatorOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.TryAddSingleton(provider => EmulatorAdminKey.Resolve(provider.GetRequiredService<IOptions<EmulatorOptions>>().Value));
        services.AddHostedService<EmulatorAdminKeyAnnouncer>();
        services.TryAddSingleton<EmulatorState>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var options = provider.GetRequiredService<IOptions<EmulatorOptions>>();
                return new SocketsHttpHandler
                {
                    // A redirect would be a second, unchecked target; a proxy would make the check judge the proxy.
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    ConnectCallback = WebhookTargetPolicy.ConnectCallback(
                        provider.GetRequiredService<IWebhookHostResolver>(), () => options.Value.AllowLoopbackWebhooks),
                };
            });
        return services;
    }

    /// <summary>Maps the QIWI paths and the admin API under <paramref name="prefix"/> ("" when standalone).</summary>
    public static RouteGroupBuilder MapQiwiEmulator(this IEndpointRouteBuilder routes, string prefix = "")
    {
        var group = routes.MapGroup(prefix);
        group.ExcludeFromDescription();
        // Every answer says it comes from an emulator, so a Live marketplace pointed here by mistake refuses it.
        group.AddEndpointFilter(async (context, next) =>
        {
            if (context.HttpContext.RequestServices.GetRequiredService<IOptions<EmulatorOptions>>().Value.AnnounceAsEmulator)
                context.HttpContext.Response.Headers[EmulatorOptions.AnnouncementHeader] = "1";
            return await next(context);
        });

        var qiwi = group.MapGroup("").AddEndpointFilter<FaultInjection>();
        WalletInfoEndpoints.Map(qiwi);
        HistoryEndpoints.Map(qiwi);
        PaymentEndpoints.Map(qiwi);
        CommissionEndpoints.Map(qiwi);
        DetectionEndpoints.Map(qiwi);
        WebhookEndpoints.Map(qiwi);
        WalletServicesEndpoints.Map(qiwi);
        ReceiptEndpoints.Map(qiwi);
        CardAndBillEndpoints.Map(qiwi);

        PaymentFormEndpoints.Map(group);
        AdminEndpoints.Map(group);
        return group;
    }
}
