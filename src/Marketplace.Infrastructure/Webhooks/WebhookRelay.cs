using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Webhooks;
using Marketplace.Domain.Webhooks;
using Marketplace.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Infrastructure.Webhooks;

/// <summary>
/// Sends the outbox: claims due deliveries (a lease in the row, taken with FOR UPDATE SKIP LOCKED on
/// PostgreSQL and by compare-and-set everywhere, so two instances never send the same attempt and a
/// crashed instance's claim runs out), POSTs them signed, and records the outcome and the next
/// attempt in the row. It runs apart from order processing: a slow receiver costs this loop a slot
/// (bounded concurrency, one request at a time per endpoint, a 10 s timeout), never a transaction.
/// Tests call <see cref="RunOnceAsync"/> instead of waiting for the timer.
/// </summary>
public sealed class WebhookRelay(
    IServiceScopeFactory scopes, IHttpClientFactory httpClients, IOptions<WebhookOptions> options, TimeProvider clock,
    ISecretProtector protector, ILogger<WebhookRelay> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    private const int MaxExcerptBytes = 4096;
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    /// <summary>One pass: claim up to a batch of due deliveries and send them. Returns what happened.</summary>
    public async Task<WebhookRelayPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var claim = await ClaimAsync(cancellationToken);
            if (claim.Deliveries.Count == 0) return new WebhookRelayPass(0, 0, 0);
            int succeeded = 0, failed = 0;
            await Parallel.ForEachAsync(claim.Deliveries.GroupBy(d => d.EndpointId),
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = cancellationToken },
                async (endpointDeliveries, ct) =>
                {
                    // One request at a time per endpoint: a receiver is never flooded by this instance.
                    foreach (var delivery in endpointDeliveries)
                    {
                        if (await SendAsync(delivery, claim.Token, ct)) Interlocked.Increment(ref succeeded);
                        else Interlocked.Increment(ref failed);
                    }
                });
            return new WebhookRelayPass(claim.Deliveries.Count, succeeded, failed);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Deletes events (and their deliveries) older than the retention period. Public for tests.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var before = clock.GetUtcNow() - options.Value.Retention;
        return await db.WebhookEvents.Where(e => e.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RelayEnabled) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var busy = false;
                try
                {
                    busy = (await RunOnceAsync(stoppingToken)).Claimed > 0;
                    if (clock.GetUtcNow() - _lastPurge > PurgeEvery)
                    {
                        _lastPurge = clock.GetUtcNow();
                        await PurgeAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Webhook relay pass failed");
                }

                // A full pass may have more waiting: go again at once; otherwise wait for the next poll.
                if (!busy) await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private sealed record Claim(Guid Token, IReadOnlyList<WebhookDelivery> Deliveries);

    private async Task<Claim> ClaimAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var until = now + settings.Lease;
        var token = Guid.NewGuid();
        List<Guid> claimed;
        if (db.Database.IsNpgsql())
        {
            // Rows another instance is claiming right now are skipped, not waited for; the lease
            // written before commit keeps them claimed after it.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var pending = nameof(WebhookDeliveryStatus.Pending);
            var due = await db.WebhookDeliveries.FromSql($"""
                    SELECT d.* FROM webhook_deliveries d
                    JOIN webhook_endpoints e ON e."Id" = d."EndpointId"
                    WHERE d."Status" = {pending} AND d."NextAttemptAt" <= {now}
                      AND (d."LockedUntil" IS NULL OR d."LockedUntil" < {now}) AND e."Enabled"
                    ORDER BY d."NextAttemptAt"
                    LIMIT {settings.BatchSize}
                    FOR UPDATE OF d SKIP LOCKED
                    """).AsNoTracking().ToListAsync(cancellationToken);
            claimed = due.Select(d => d.Id).ToList();
            if (claimed.Count > 0)
                await db.WebhookDeliveries.Where(d => claimed.Contains(d.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, (DateTimeOffset?)until).SetProperty(d => d.LockToken, (Guid?)token), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            // SQLite has one writer at a time: each compare-and-set below is atomic on its own.
            var candidates = await db.WebhookDeliveries
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LockedUntil == null || d.LockedUntil < now))
                .Join(db.WebhookEndpoints.Where(e => e.Enabled), d => d.EndpointId, e => e.Id, (d, _) => d)
                .OrderBy(d => d.NextAttemptAt).Take(settings.BatchSize).Select(d => d.Id)
                .ToListAsync(cancellationToken);
            claimed = [];
            foreach (var id in candidates)
            {
                var won = await db.WebhookDeliveries
                    .Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && (d.LockedUntil == null || d.LockedUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, (DateTimeOffset?)until).SetProperty(d => d.LockToken, (Guid?)token), cancellationToken);
                if (won == 1) claimed.Add(id);
            }
        }

        if (claimed.Count == 0) return new Claim(token, []);
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => claimed.Contains(d.Id) && d.LockToken == token)
            .OrderBy(d => d.NextAttemptAt).ToListAsync(cancellationToken);
        return new Claim(token, deliveries);
    }

    /// <summary>One attempt of one claimed delivery: send, then record under the claim. True when delivered.</summary>
    private async Task<bool> SendAsync(WebhookDelivery delivery, Guid token, CancellationToken cancellationToken)
    {
        Attempt attempt;
        WebhookEndpoint? endpoint;
        WebhookEvent? webhookEvent;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
            webhookEvent = await db.WebhookEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.EventId, cancellationToken);
        }

        if (endpoint is null || webhookEvent is null) return false; // deleted meanwhile (cascade removes the delivery too)
        attempt = await PostAsync(endpoint, webhookEvent, delivery, cancellationToken);
        await RecordAsync(delivery, endpoint, token, attempt, cancellationToken);
        return attempt.Delivered;
    }

    private sealed record Attempt(bool Delivered, int? StatusCode, string? Error, string? Excerpt);

    private async Task<Attempt> PostAsync(WebhookEndpoint endpoint, WebhookEvent webhookEvent, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var secrets = endpoint.SigningSecrets(now).Select(protector.Unprotect);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(webhookEvent.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Webhook-Id", webhookEvent.Id);
        request.Headers.Add("Webhook-Delivery-Id", delivery.Id.ToString());
        request.Headers.Add("Webhook-Timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Marketplace-Signature", WebhookSigner.Header(webhookEvent.Payload, secrets, now));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Marketplace-Webhooks", "1.0"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, timeout.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new Attempt(true, code, null, excerpt)
                : new Attempt(false, code, code is >= 300 and < 400 ? $"HTTP {code}: redirects are not followed" : $"HTTP {code}", excerpt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Attempt(false, null, $"No answer within {options.Value.RequestTimeout.TotalSeconds:0} s", null);
        }
        catch (HttpRequestException ex)
        {
            return new Attempt(false, null, ex.Message, null);
        }
    }

    /// <summary>At most 4 KB of the answer, for the log; the rest is not read.</summary>
    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxExcerptBytes];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0) break;
                read += n;
            }

            return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return null;
        }
    }

    private async Task RecordAsync(WebhookDelivery claimed, WebhookEndpoint endpoint, Guid token, Attempt attempt, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var now = clock.GetUtcNow();
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == claimed.Id && d.LockToken == token, cancellationToken);
        if (delivery is null)
        {
            // The lease ran out and another relay claimed it (or the endpoint was deleted): its record wins.
            logger.LogWarning("Webhook delivery {DeliveryId}: claim lost before its outcome was recorded", claimed.Id);
            return;
        }

        if (attempt.Delivered)
        {
            delivery.Succeeded(now, attempt.StatusCode!.Value, attempt.Excerpt);
            await db.SaveChangesAsync(cancellationToken);
            await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id && e.ConsecutiveFailures > 0)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsecutiveFailures, 0).SetProperty(e => e.FailingSince, (DateTimeOffset?)null),
                    cancellationToken);
            return;
        }

        var retryAfter = WebhookRetrySchedule.After(delivery.Attempts + 1, Random.Shared.NextDouble());
        delivery.AttemptFailed(now, attempt.StatusCode, attempt.Error!, attempt.Excerpt, retryAfter);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Webhook delivery {DeliveryId} to endpoint {EndpointId} failed (attempt {Attempt}): {Error}",
            delivery.Id, endpoint.Id, delivery.Attempts, attempt.Error);
        await CountFailureAsync(db, endpoint.Id, now, cancellationToken);
    }

    /// <summary>
    /// Counts the failure on the endpoint (atomically: several relays may fail on it at once) and disables it after a long
    /// run. The disabling and the <c>webhook_endpoint.disabled</c> event to the owner's other endpoints commit together.
    /// </summary>
    private async Task CountFailureAsync(ApplicationDbContext db, Guid endpointId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await db.WebhookEndpoints.Where(e => e.Id == endpointId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsecutiveFailures, e => e.ConsecutiveFailures + 1)
                .SetProperty(e => e.FailingSince, e => (DateTimeOffset?)(e.FailingSince ?? now)), cancellationToken);
        var failingSinceLimit = now - settings.DisableAfterFailingFor;
        var reason = $"Disabled after {settings.DisableAfterConsecutiveFailures} failed deliveries in a row or {settings.DisableAfterFailingFor.TotalDays:0.#} days "
                     + "without a successful one; fix the receiver, then enable it (queued deliveries go out again).";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var disabled = await db.WebhookEndpoints
            .Where(e => e.Id == endpointId && e.Enabled
                        && (e.ConsecutiveFailures >= settings.DisableAfterConsecutiveFailures || e.FailingSince <= failingSinceLimit))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Enabled, false).SetProperty(e => e.DisabledReason, reason)
                .SetProperty(e => e.DisabledAt, (DateTimeOffset?)now), cancellationToken);
        if (disabled == 1)
        {
            // Only this relay's update matched (Enabled was still true): the owner is told once.
            var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == endpointId, cancellationToken);
            await new WebhookOutbox(db).PublishAsync(WebhookEventTypes.WebhookEndpointDisabled,
                [new WebhookRecipient(endpoint.OwnerId, WebhookEndpointDto.From(endpoint, now))], now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogWarning("Webhook endpoint {EndpointId} disabled after a long run of failed deliveries", endpointId);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}

public sealed record WebhookRelayPass(int Claimed, int Succeeded, int Failed);
