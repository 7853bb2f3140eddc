using Marketplace.Domain.Webhooks;

namespace Marketplace.Application.Webhooks;

/// <summary>
/// A webhook endpoint as its owner sees it; the secret is never part of it (shown once, by create and
/// rotate-secret). <c>enabled</c> false with <c>disabledReason</c>: turned off by its owner or after a long
/// run of failed deliveries (<c>consecutiveFailures</c>, <c>failingSince</c>); PATCH enabled=true turns it on again.
/// </summary>
public sealed record WebhookEndpointDto(
    Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Enabled, string? DisabledReason,
    DateTimeOffset? DisabledAt, int ConsecutiveFailures, DateTimeOffset? FailingSince, DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointDto From(WebhookEndpoint e, DateTimeOffset now) =>
        new(e.Id, e.Url, e.EventTypeList, e.Description, e.Enabled, e.DisabledReason, e.DisabledAt, e.ConsecutiveFailures, e.FailingSince,
            e.PreviousSecretExpiresAt > now ? e.PreviousSecretExpiresAt : null, e.CreatedAt, e.UpdatedAt);
}

/// <summary>An endpoint with its signing secret: the only time the secret is shown. Store it now.</summary>
public sealed record WebhookEndpointWithSecretDto(WebhookEndpointDto Endpoint, string Secret);

/// <summary>
/// One event on its way to one endpoint, for the delivery log. <c>status</c>: Pending (waiting for its
/// next attempt at <c>nextAttemptAt</c>), Succeeded, Failed (every retry failed; redeliver to try again).
/// <c>responseExcerpt</c>: the first 4 KB of the receiver's last answer.
/// </summary>
public sealed record WebhookDeliveryDto(
    Guid Id, string EventId, string EventType, WebhookDeliveryStatus Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, string? ResponseExcerpt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt)
{
    public static WebhookDeliveryDto From(WebhookDelivery d, string eventType) =>
        new(d.Id, d.EventId, eventType, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.LastAttemptAt, d.NextAttemptAt,
            d.ResponseExcerpt, d.CreatedAt, d.DeliveredAt);
}
