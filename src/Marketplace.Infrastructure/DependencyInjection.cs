using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Disputes;
using Marketplace.Application.Orders;
using Marketplace.Application.Orders.PlaceOrder;
using Marketplace.Application.Payments.Matching;
using Marketplace.Application.Payments.Push;
using Marketplace.Application.Payments.Rails;
using Marketplace.Infrastructure.BackgroundJobs;
using Marketplace.Infrastructure.Payments;
using Marketplace.Infrastructure.Persistence;
using Marketplace.Infrastructure.Security;
using Marketplace.Infrastructure.Webhooks;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDatabase(configuration);

        services.AddOptions<SecretsOptions>().Bind(configuration.GetSection(SecretsOptions.Section));
        services.AddSingleton<AesGcmSecretProtector>();
        services.AddSingleton<ISecretProtector>(sp => sp.GetRequiredService<AesGcmSecretProtector>());
        services.AddSharedDataProtection();
        services.AddSingleton<IPasswordHasher, IdentityPasswordHasher>();
        services.AddSingleton<Persistence.Idempotency.IdempotencyStore>();

        // Rails (e.g. AddQiwiRail) register their capabilities; the registry finds them by payment method.
        services.AddSingleton<IRailRegistry, RailRegistry>();
        services.AddScoped<ISharedRequestBudget, DatabaseRequestBudget>();
        services.AddScoped<OrderMapper>();
        services.AddScoped<IListingItemStore, Listings.ListingItemStore>();
        services.AddOptions<OrderLimitsOptions>().Bind(configuration.GetSection(OrderLimitsOptions.Section))
            .Validate(o => o.IsValid(), "Orders:Limits values must be at least 1.")
            .ValidateOnStart();

        services.AddOptions<MatcherOptions>().Bind(configuration.GetSection(MatcherOptions.Section))
            .Validate(o => o.IsValid(), "PaymentWatcher settings are out of range (the lease must outlast the interval).")
            .ValidateOnStart();
        services.AddSingleton<WalletReadRequests>();
        services.AddOptions<PushOptions>().Bind(configuration.GetSection(PushOptions.Section))
            .Validate(o => o.PublicBaseUrl is null || (o.PublicBaseUrl.IsAbsoluteUri && o.PublicBaseUrl.Scheme is "https" or "http"),
                "Push:PublicBaseUrl must be an absolute http(s) address.")
            .ValidateOnStart();
        services.AddScoped<WalletLeases>();
        services.AddSingleton<PaymentWatcher>();
        services.AddSingleton<Application.Common.Telemetry.IWebhookBacklogProbe, Telemetry.CachedWebhookBacklog>();
        services.AddHostedService(sp => sp.GetRequiredService<PaymentWatcher>());

        services.AddOptions<DisputeOptions>().Bind(configuration.GetSection(DisputeOptions.Section))
            .Validate(o => o.IsValid(), "Disputes:SellerResponseTime must be between a minute and 30 days.")
            .ValidateOnStart();
        services.AddScoped<DisputeAccess>();
        services.AddOptions<AfterDeliveryOptions>().Bind(configuration.GetSection(AfterDeliveryOptions.Section))
            .Validate(o => o.IsValid(), "AfterDelivery:Interval must be between 100 ms and an hour.")
            .ValidateOnStart();
        services.AddSingleton<AfterDeliveryJob>();
        services.AddHostedService(sp => sp.GetRequiredService<AfterDeliveryJob>());
        services.AddSingleton<KeyHashBackfill>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyHashBackfill>());
        services.AddWebhooks(configuration);
        return services;
    }

    /// <summary>
    /// Outgoing webhooks: the target guard (SSRF), the relay and its HTTP client. The client follows no
    /// redirect (a receiver could bounce the request into the private network), keeps no cookies, and in
    /// Live connects only to public addresses, checked on the address actually connected to.
    /// </summary>
    private static void AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.IsValid(), "Webhooks settings are out of range (the lease must outlast two request timeouts).")
            .Validate<OperatingMode>((o, mode) => mode.IsSandbox || o.AllowPrivateTargets != true,
                "Webhooks:AllowPrivateTargets cannot be true in Live: it would let anyone make the service call its own network.")
            .ValidateOnStart();
        services.AddSingleton<IWebhookTargetGuard, WebhookTargetGuard>();
        services.AddHttpClient(WebhookRelay.HttpClientName, (sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = PublicAddressPolicy.ConnectCallback(WebhookTargetGuard.AllowsPrivate(
                    sp.GetRequiredService<OperatingMode>(), sp.GetRequiredService<IOptions<WebhookOptions>>().Value)),
            });
        services.AddSingleton<WebhookRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookRelay>());
    }

    /// <summary>
    /// Bearer tokens are Data Protection tickets: the key ring lives in the database (encrypted with the
    /// secret keys), under one application name, so every instance issues and accepts the same tokens.
    /// </summary>
    private static void AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName("Marketplace")
            .PersistKeysToDbContext<ApplicationDbContext>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<ISecretProtector>((options, protector) => options.XmlEncryptor = new SecretXmlEncryptor(protector));
    }

    private static void AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseOptions.From(configuration);
        services.AddSingleton(database);
        services.AddSingleton<CatalogChanges>();
        services.AddSingleton<CatalogChangeInterceptor>();
        services.AddSingleton<CatalogCommitInterceptor>();
        services.AddDbContext<ApplicationDbContext>((sp, options) =>
        {
            database.Configure(options);
            options.AddInterceptors(sp.GetRequiredService<CatalogChangeInterceptor>(), sp.GetRequiredService<CatalogCommitInterceptor>());
        });
        services.AddScoped<IApplicationDbContext>(sp => sp.GetRequiredService<ApplicationDbContext>());
    }
}
