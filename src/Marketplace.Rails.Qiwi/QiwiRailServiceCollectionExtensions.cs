using Marketplace.Application.Payments.Rails;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Refit;

namespace Marketplace.Rails.Qiwi;

public static class QiwiRailServiceCollectionExtensions
{
    /// <summary>
    /// The QIWI rail: its typed clients and handler chain, and each capability it has (wallet connection,
    /// history pages, transfer lookup, push notifications, pay links) registered as an
    /// <see cref="IRailCapability"/> under <see cref="QiwiRail.Method"/> for the host's rail registry.
    /// Also all a reseller's tool needs to call QIWI. The request budget is the host's
    /// <see cref="ISharedRequestBudget"/> when it registers one (the service: the database, shared by every
    /// instance), else an in-process one.
    /// </summary>
    public static IServiceCollection AddQiwiRail(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<QiwiOptions>().Bind(configuration.GetSection(QiwiOptions.Section))
            .Validate(o => o.HistoryPageSize is >= 1 and <= 50, "Qiwi:HistoryPageSize must be 1 to 50, QIWI's most rows a page.")
            .Validate(o => o.HistoryRequestsPerMinute >= 1, "Qiwi:HistoryRequestsPerMinute must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<QiwiEndpoint>();
        services.AddSingleton<QiwiBlockedWallets>();
        services.TryAddSingleton<ISharedRequestBudget, InProcessRequestBudget>();
        services.AddTransient<QiwiEndpointHandler>();
        services.AddTransient<QiwiErrorMappingHandler>();
        services.AddTransient<QiwiRequestBudgetHandler>();
        services.AddTransient<QiwiLiveGuardHandler>();

        var options = configuration.GetSection(QiwiOptions.Section).Get<QiwiOptions>() ?? new QiwiOptions();
        AddQiwiClient(services.AddRefitGeneratedClient<IQiwiWalletApi>(QiwiJsonContext.Default, QiwiSettings), QiwiEndpointHandler.Placeholder, options);
        AddQiwiClient(services.AddRefitGeneratedClient<IQiwiSiteApi>(QiwiJsonContext.Default, QiwiSettings), QiwiEndpointHandler.SitePlaceholder, options);
        services.AddSingleton<QiwiPayments>();

        AddCapability<QiwiWalletConnector>(services);
        AddCapability<QiwiHistorySource>(services);
        AddCapability<QiwiTransferLookup>(services);
        AddCapability<QiwiRefundSender>(services);
        AddCapability<QiwiPushNotifications>(services);
        AddCapability<QiwiPaymentLinks>(services);
        return services;
    }

    /// <summary>One instance per capability, reachable by its own type and through the registry.</summary>
    private static void AddCapability<T>(IServiceCollection services) where T : class, IRailCapability
    {
        services.AddSingleton<T>();
        services.AddSingleton<IRailCapability>(sp => sp.GetRequiredService<T>());
    }

    /// <summary>Typed QIWI exceptions straight from Refit, unwrapped.</summary>
    private static RefitSettings QiwiSettings(IServiceProvider services)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        return new RefitSettings
        {
            ExceptionFactory = response => QiwiErrors.FromResponseAsync(response, clock),
            DeserializationExceptionFactory = QiwiErrors.FromUnreadableResponse,
        };
    }

    /// <summary>
    /// The handler chain, outermost first: typed errors; per-wallet resilience (retries with backoff
    /// and jitter for reads only, a circuit breaker and timeouts per wallet); the per-wallet request
    /// budget (inside the retries, so every attempt counts); the endpoint resolution; and, nearest the
    /// wire, the Live guard that refuses an emulator's answer.
    /// </summary>
    private static void AddQiwiClient(IHttpClientBuilder client, Uri placeholder, QiwiOptions options)
    {
        client.ConfigureHttpClient(http => http.BaseAddress = placeholder)
            .AddHttpMessageHandler<QiwiErrorMappingHandler>();
        client.AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.DisableForUnsafeHttpMethods(); // payments retry only through QiwiPayments, with the same id
                resilience.Retry.MaxRetryAttempts = 3;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.AttemptTimeout.Timeout = options.RequestTimeout;
                resilience.TotalRequestTimeout.Timeout = options.RequestTimeout * 4 + TimeSpan.FromSeconds(2);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, options.RequestTimeout.TotalSeconds * 2));
                resilience.CircuitBreaker.MinimumThroughput = 8;
                resilience.CircuitBreaker.FailureRatio = 0.6;
                resilience.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
            })
            .SelectPipelineBy(_ => request => QiwiWalletKey.Of(request));
        client.AddHttpMessageHandler<QiwiRequestBudgetHandler>()
            .AddHttpMessageHandler<QiwiEndpointHandler>()
            .AddHttpMessageHandler<QiwiLiveGuardHandler>();
    }
}
