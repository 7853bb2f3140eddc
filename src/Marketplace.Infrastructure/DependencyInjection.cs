using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Orders;
using Marketplace.Infrastructure.BackgroundJobs;
using Marketplace.Infrastructure.Payments;
using Marketplace.Infrastructure.Payments.Qiwi;
using Marketplace.Infrastructure.Persistence;
using Marketplace.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Refit;

namespace Marketplace.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddTimeProvider();
        services.AddDatabase(configuration);

        services.AddOptions<SecretsOptions>().Bind(configuration.GetSection(SecretsOptions.Section));
        services.AddSingleton<ISecretProtector, AesGcmSecretProtector>();
        services.AddSingleton<IPasswordHasher, IdentityPasswordHasher>();

        services.AddQiwiRail(configuration);
        services.AddSingleton<IPaymentRails, PaymentRails>();
        services.AddScoped<OrderMapper>();

        services.AddOptions<PaymentWatcherOptions>().Bind(configuration.GetSection(PaymentWatcherOptions.Section));
        services.AddSingleton<PaymentWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PaymentWatcher>());
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    private static void AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseOptions.From(configuration);
        services.AddSingleton(database);
        services.AddDbContext<ApplicationDbContext>(options => database.Configure(options));
        services.AddScoped<IApplicationDbContext>(sp => sp.GetRequiredService<ApplicationDbContext>());
    }

    private static void AddQiwiRail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QiwiOptions>().Bind(configuration.GetSection(QiwiOptions.Section));
        services.AddSingleton<QiwiEndpoint>();
        services.AddTransient<QiwiEndpointHandler>();

        var timeout = configuration.GetSection(QiwiOptions.Section).Get<QiwiOptions>()?.RequestTimeout ?? new QiwiOptions().RequestTimeout;
        services.AddRefitGeneratedClient<IQiwiWalletApi>(QiwiJsonContext.Default)
            .ConfigureHttpClient(client => client.BaseAddress = QiwiEndpointHandler.Placeholder)
            .AddHttpMessageHandler<QiwiEndpointHandler>()
            .AddStandardResilienceHandler(resilience =>
            {
                // A payment is never retried blindly; reads are, with backoff and jitter.
                resilience.Retry.DisableForUnsafeHttpMethods();
                resilience.AttemptTimeout.Timeout = timeout;
                resilience.TotalRequestTimeout.Timeout = timeout * 3;
                resilience.CircuitBreaker.SamplingDuration = timeout * 2;
            });
        services.AddSingleton<IPaymentRail, QiwiPaymentRail>();
    }
}
