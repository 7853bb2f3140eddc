using System.Text.Json;
using Marketplace.Application.Payments.Matching;
using Marketplace.Infrastructure.BackgroundJobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Marketplace.Api.Hosting;

/// <summary>
/// Readiness of this instance among several: its name on wallet leases, how many it holds, and
/// whether it is draining. A draining instance (SIGTERM received) reports Unhealthy, so a load
/// balancer stops sending it requests while it finishes the work in hand.
/// </summary>
public sealed class InstanceHealthCheck(PaymentWatcher watcher, IHostApplicationLifetime lifetime, IServiceScopeFactory scopes)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var draining = watcher.Draining || lifetime.ApplicationStopping.IsCancellationRequested;
        using var scope = scopes.CreateScope();
        var leases = await scope.ServiceProvider.GetRequiredService<WalletLeases>().CountAsync(watcher.InstanceId, cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["instance"] = watcher.InstanceId,
            ["walletLeases"] = leases,
            ["draining"] = draining,
        };
        return draining
            ? HealthCheckResult.Unhealthy("Draining: finishing work in hand before stopping", data: data)
            : HealthCheckResult.Healthy($"Holds {leases} wallet leases", data);
    }

    /// <summary>The readiness answer as JSON: overall status and each check's status, description and data.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count > 0 ? e.Value.Data : null,
            }),
        }, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
