using System.Text.Json.Serialization;
using Marketplace.Application.Common.Behaviors;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Infrastructure.Persistence;
using Marketplace.Infrastructure.Security;
using Mediator;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Marketplace.Api.Hosting.OpenApi;

namespace Marketplace.Api.Hosting;

public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddMarketplaceApi(this IServiceCollection services, IConfiguration configuration, OperatingMode mode)
    {
        services.AddSingleton(mode);
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(Marketplace.Application.DependencyInjection)];
            options.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>)];
        });

        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, CurrentUser>();

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
            // Every problem has a code to branch on; a specific one set where the error was raised wins.
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
                context.ProblemDetails.Extensions["code"] = ProblemCodes.ForStatus(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
        });
        // After the framework's writer, so it only takes the errors that writer declines (a non-JSON Accept header).
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddRequestSizeLimit(configuration);
        // Body and parameter binding failures become exceptions, so they get ProblemDetails naming the field.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
            // Every string and decimal read from a body: no control characters, no silent rounding.
            options.SerializerOptions.Converters.Add(new SafeStringJsonConverter());
            options.SerializerOptions.Converters.Add(new ExactDecimalJsonConverter());
        });

        // Login tokens and API keys, told apart by the credential's shape (ApiKeyAuthentication).
        services.AddMarketplaceAuthentication(configuration);
        services.AddApiScopeAuthorization();

        services.AddHealthChecks()
            .AddDbContextCheck<ApplicationDbContext>("database", tags: ["ready"])
            .AddCheck<InstanceHealthCheck>("instance", tags: ["ready"]);

        services.AddMarketplaceOpenApi(mode);
        return services;
    }

    /// <summary>The title Swagger UI and the OpenAPI document show: SANDBOX is never missed.</summary>
    public static string ApiTitle(OperatingMode mode) => mode.IsSandbox ? "Marketplace API (SANDBOX)" : "Marketplace API";

    /// <summary>
    /// Applies the provider's EF Core migrations (creating the SQLite file owner-only first), then binds
    /// the database to this service's mode and its secret keys, before the service takes requests.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        services.GetRequiredService<DatabaseOptions>().EnsureStorageExists();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var mode = services.GetRequiredService<OperatingMode>().Mode;
        var clock = services.GetRequiredService<TimeProvider>();
        var logs = services.GetRequiredService<ILoggerFactory>();
        // Several instances may start at once: one at a time from here to the end.
        await using var startup = await StartupLock.AcquireAsync(db);
        // A database of the other mode is refused before anything changes it, migrations included.
        await DatabaseModeGuard.RefuseOtherModeAsync(db, mode);
        await SqliteConnectionSetup.UseWriteAheadLogAsync(db);
        await db.Database.MigrateAsync();
        await DatabaseModeGuard.EnsureAsync(db, mode, clock, logs.CreateLogger(typeof(DatabaseModeGuard)));
        // Every instance must hold the keys the stored secrets (and the token key ring) are encrypted under.
        await SecretKeyGuard.EnsureAsync(db, services.GetRequiredService<AesGcmSecretProtector>(), clock, logs.CreateLogger(typeof(SecretKeyGuard)));
        SharedKeyRing.Ensure(services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());
    }

    public static void MapMarketplaceHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains("ready"),
                ResponseWriter = InstanceHealthCheck.WriteAsync,
            })
            .ExcludeFromDescription();
    }
}
