namespace Marketplace.Client.Models;

/// <param name="Url">Where to POST events (https in production).</param>
/// <param name="EventTypes">e.g. order.delivered, order.expired, dispute.opened (docs/webhooks.md lists them all).</param>
public sealed record CreateWebhookEndpointRequest(string Url, IReadOnlyList<string> EventTypes, string? Description = null);

/// <summary>Only what is given changes.</summary>
public sealed record UpdateWebhookEndpointRequest(string? Url = null, IReadOnlyList<string>? EventTypes = null, string? Description = null, bool? Enabled = null);

public sealed record WebhookEndpoint(
    Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Enabled, string? DisabledReason,
    DateTimeOffset? DisabledAt, int ConsecutiveFailures, DateTimeOffset? FailingSince, DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>An endpoint with its signing secret (<c>whsec_...</c>): shown only by create and rotate. Verify deliveries with <see cref="WebhookSignature"/>.</summary>
public sealed record WebhookEndpointWithSecret(WebhookEndpoint Endpoint, string Secret);

/// <summary>One event's way to one endpoint. <see cref="Status"/>: Pending, Succeeded or Failed.</summary>
public sealed record WebhookDelivery(
    Guid Id, string EventId, string EventType, string Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, string? ResponseExcerpt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);
