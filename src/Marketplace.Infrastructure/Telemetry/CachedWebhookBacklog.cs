using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Telemetry;
using Marketplace.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Infrastructure.Telemetry;

/// <summary>
/// The webhook backlog for the metrics gauge: one count over the (Status, NextAttemptAt) index, at most
/// once per <see cref="MaxAge"/> however often a collector scrapes. A stale value starts one refresh and
/// waits for it briefly; a slow database answers the scrape with the last count instead of holding it.
/// </summary>
public sealed class CachedWebhookBacklog(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CachedWebhookBacklog> logger)
    : IWebhookBacklogProbe
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    /// <summary>How long a scrape waits for a refresh before it answers with what it has.</summary>
    private static readonly TimeSpan ScrapeWait = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private long? _count;
    private long _readAt;
    private Task? _refreshing;

    public long? Latest()
    {
        Task refresh;
        lock (_gate)
        {
            if (_count is not null && clock.GetElapsedTime(_readAt) < MaxAge) return _count;
            refresh = _refreshing ??= Task.Run(RefreshAsync);
        }

        // Callbacks of observable instruments are synchronous: a bounded wait, never an unbounded block.
        refresh.Wait(ScrapeWait);
        lock (_gate) return _count;
    }

    private async Task RefreshAsync()
    {
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<IApplicationDbContext>();
            var count = await db.WebhookDeliveries.AsNoTracking().LongCountAsync(d => d.Status == WebhookDeliveryStatus.Pending);
            lock (_gate)
            {
                _count = count;
                _readAt = clock.GetTimestamp();
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Counting the webhook backlog for metrics failed");
        }
        finally
        {
            lock (_gate) _refreshing = null;
        }
    }
}
