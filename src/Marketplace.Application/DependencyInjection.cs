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
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton);
        services.AddSingleton<Accounts.Login.DummyPasswordHash>();
        return services;
    }
}
