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
using Microsoft.OpenApi;

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
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
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

        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = ApiTitle(mode),
                Version = "v1",
                Description = mode.IsSandbox
                    ? "**SANDBOX**: wallets are emulated and payments are play money; nothing here is paid for with real money. " +
                      "Peer-to-peer trades of digital goods paid by wallet transfers with a unique comment."
                    : "Peer-to-peer trades of digital goods paid by wallet transfers with a unique comment.",
            });
            swagger.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The accessToken from POST /api/v1/auth/login, or an API key (mkp_...) from POST /api/v1/api-keys.",
            });
            swagger.OperationFilter<IdempotencyOperationFilter>();
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
            swagger.CustomSchemaIds(type => type.FullName!.Replace("+", ".", StringComparison.Ordinal));
        });
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
