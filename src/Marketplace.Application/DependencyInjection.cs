using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers validators. Mediator itself is registered by the host, because its source
    /// generator must run in the one project that calls AddMediator.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        // A rule stops at its first failure, so a later check (Must, Matches) never sees the null or empty
        // value an earlier NotEmpty already refused: no validator can throw on missing input.
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton);
        services.AddSingleton<Accounts.Login.DummyPasswordHash>();
        services.AddSingleton<Listings.GetCatalog.CatalogVersion>();

        services.AddScoped<Common.Events.IDomainEventDispatcher, Common.Events.DomainEventDispatcher>();
        services.AddScoped<Orders.Stock.StockLedger>();
        services.AddScoped<Reputation.SellerReputation>();
        services.AddScoped<Listings.Items.ItemPreparer>();
        services.AddScoped<Listings.ListingViews>();
        services.AddScoped<Disputes.RefundRecorder>();
        AddDomainEventHandlers<Orders.Stock.OrderStockHandler>(services);
        AddDomainEventHandlers<Orders.OrderDeliveryMetrics>(services);
        // After the stock handler: a webhook reports the state the stock moves left behind.
        services.AddScoped<Webhooks.WebhookOutbox>();
        AddDomainEventHandlers<Webhooks.WebhookEventHandlers>(services);
        services.AddScoped<Payments.Matching.TransferRecorder>();
        services.AddSingleton<Payments.Push.PushReplayGuard>();
        // Metrics: one meter for the service; placements are measured around their handler, which stays about orders.
        services.AddSingleton<Common.Telemetry.MarketplaceMetrics>();
        services.AddScoped<Mediator.IPipelineBehavior<Orders.PlaceOrder.PlaceOrderCommand, Orders.OrderDto>, Orders.PlaceOrder.PlaceOrderMetrics>();
        return services;
    }

    /// <summary>Registers one handler class for every domain event it handles (one instance per scope).</summary>
    private static void AddDomainEventHandlers<THandler>(IServiceCollection services) where THandler : class
    {
        services.AddScoped<THandler>();
        foreach (var contract in typeof(THandler).GetInterfaces()
                     .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Common.Events.IDomainEventHandler<>)))
            services.AddScoped(contract, sp => sp.GetRequiredService<THandler>());
    }
}
