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
        return services;
    }
}
