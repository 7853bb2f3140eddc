namespace Marketplace.Domain.Webhooks;

/// <summary>
/// One outgoing event for one account (the outbox row), written in the transaction of the change it
/// reports. <see cref="Payload"/> is the exact JSON body every delivery sends: the data as that account
/// may see it through the API. Purged after the retention period with its deliveries.
/// </summary>
public sealed class WebhookEvent
{
    public const int MaxTypeLength = 64;

    private WebhookEvent() { }

    public WebhookEvent(string id, string type, Guid accountId, string payload, DateTimeOffset createdAt)
    {
        Id = id;
        Type = type;
        AccountId = accountId;
        Payload = payload;
        CreatedAt = createdAt;
    }

    /// <summary>"evt_" and 32 hex digits; sent as Webhook-Id, the receiver's deduplication key.</summary>
    public string Id { get; private set; } = "";
    public string Type { get; private set; } = "";
    public Guid AccountId { get; private set; }
    public string Payload { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public static string NewId() => "evt_" + Guid.NewGuid().ToString("N");
}
