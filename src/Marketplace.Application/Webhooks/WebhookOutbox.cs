using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Webhooks;

/// <summary>The body of every webhook: <c>{ "id": "evt_...", "type": "order.delivered", "createdAt": "...", "data": { ... } }</c>.</summary>
public sealed record WebhookEnvelope(string Id, string Type, DateTimeOffset CreatedAt, object Data);

/// <summary>One recipient of an event and the data as that account may see it through the API.</summary>
public sealed record WebhookRecipient(Guid AccountId, object Data);

/// <summary>
/// Writes outgoing webhooks into the outbox: one event row per recipient that has a subscribed
/// endpoint, one delivery row per such endpoint, added to the unit of work of the change that caused
/// them (so they commit, or vanish, with it). No HTTP here: the relay sends them after commit.
/// The endpoints of an account are read once per unit of work (a scope), with one query for all the
/// accounts asked about at a time; a change of an endpoint is seen by the next unit of work.
/// </summary>
public sealed class WebhookOutbox(IApplicationDbContext db)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Dictionary<Guid, IReadOnlyList<WebhookEndpoint>> _endpoints = [];

    public async Task PublishAsync(string type, IReadOnlyList<WebhookRecipient> recipients, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LoadAsync(recipients.Select(r => r.AccountId), cancellationToken);
        foreach (var recipient in recipients)
        {
            var targets = _endpoints[recipient.AccountId].Where(e => e.Subscribes(type)).ToList();
            if (targets.Count == 0) continue;
            var webhookEvent = NewEvent(type, recipient.AccountId, recipient.Data, now);
            foreach (var endpoint in targets) db.WebhookDeliveries.Add(new WebhookDelivery(Guid.NewGuid(), webhookEvent.Id, endpoint.Id, now));
        }
    }

    /// <summary>An event for one endpoint only, whatever it subscribes to (the test ping); returns its delivery.</summary>
    public WebhookDelivery PublishTo(WebhookEndpoint endpoint, string type, object data, DateTimeOffset now)
    {
        var webhookEvent = NewEvent(type, endpoint.OwnerId, data, now);
        var delivery = new WebhookDelivery(Guid.NewGuid(), webhookEvent.Id, endpoint.Id, now);
        db.WebhookDeliveries.Add(delivery);
        return delivery;
    }

    private WebhookEvent NewEvent(string type, Guid accountId, object data, DateTimeOffset now)
    {
        var id = WebhookEvent.NewId();
        var payload = JsonSerializer.Serialize(new WebhookEnvelope(id, type, now, data), Json);
        var webhookEvent = new WebhookEvent(id, type, accountId, payload, now);
        db.WebhookEvents.Add(webhookEvent);
        return webhookEvent;
    }

    /// <summary>
    /// Reads these accounts' endpoints now, so that publishing later in the unit of work costs no round trip
    /// (order placement does this before it takes its locks).
    /// </summary>
    public Task PrepareAsync(IEnumerable<Guid> accountIds, CancellationToken cancellationToken) => LoadAsync(accountIds, cancellationToken);

    private async Task LoadAsync(IEnumerable<Guid> accountIds, CancellationToken cancellationToken)
    {
        var missing = accountIds.Where(id => !_endpoints.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0) return;
        var found = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => missing.Contains(e.OwnerId) && e.Enabled)
            .ToListAsync(cancellationToken);
        foreach (var id in missing) _endpoints[id] = found.Where(e => e.OwnerId == id).ToList();
    }
}
