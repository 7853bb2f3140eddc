namespace Marketplace.Infrastructure.Persistence.Idempotency;

/// <summary>
/// One Idempotency-Key of one account: inserted as "started" before the request runs (the unique
/// index on account and key lets exactly one request in), completed with the response to replay.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int MaxKeyLength = 255;

    private IdempotencyRecord() { }

    public IdempotencyRecord(Guid id, Guid accountId, string key, string method, string route, string requestHash, DateTimeOffset now)
    {
        Id = id;
        AccountId = accountId;
        Key = key;
        Method = method;
        Route = route;
        RequestHash = requestHash;
        CreatedAt = now;
        LockedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }
    public string Key { get; private set; } = "";
    public string Method { get; private set; } = "";

    /// <summary>The endpoint's route template, e.g. /api/v1/orders/{id}/cancel (for operators; the hash covers the real path).</summary>
    public string Route { get; private set; } = "";

    /// <summary>SHA-256 (hex) of method, path and body: a retry must send the same request.</summary>
    public string RequestHash { get; private set; } = "";

    /// <summary>When the key was first used; it is kept for <see cref="IdempotencyStore.Retention"/> from then.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the request now running with this key started (a crashed one is taken over later).</summary>
    public DateTimeOffset LockedAt { get; private set; }

    /// <summary>Null while the request runs.</summary>
    public DateTimeOffset? CompletedAt { get; private set; }

    public int? ResponseStatus { get; private set; }
    public string? ResponseContentType { get; private set; }
    public string? ResponseLocation { get; private set; }

    /// <summary>The response body, encrypted with the secret protector (responses are evidence of orders and disputes).</summary>
    public string? ResponseBody { get; private set; }
}
