namespace Marketplace.Domain.Webhooks;

/// <summary>
/// One event on its way to one endpoint. The retry state lives here, in the database: a restart, a
/// crash or another instance picks it up where it stopped. A relay claims a due delivery by setting
/// <see cref="LockedUntil"/> (a lease, so a crashed relay's claim runs out) and <see cref="LockToken"/>.
/// </summary>
public sealed class WebhookDelivery
{
    public const int MaxErrorLength = 500;
    public const int MaxExcerptLength = 4096;

    private WebhookDelivery() { }

    public WebhookDelivery(Guid id, string eventId, Guid endpointId, DateTimeOffset now)
    {
        Id = id;
        EventId = eventId;
        EndpointId = endpointId;
        Status = WebhookDeliveryStatus.Pending;
        NextAttemptAt = now;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public string EventId { get; private set; } = "";
    public Guid EndpointId { get; private set; }
    public WebhookDeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    /// <summary>When the next attempt is due; null once delivered or given up.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
    public Guid? LockToken { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }
    /// <summary>The start of the receiver's last answer (at most 4 KB), for the owner's delivery log.</summary>
    public string? ResponseExcerpt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>The receiver answered 2xx.</summary>
    public void Succeeded(DateTimeOffset now, int statusCode, string? excerpt)
    {
        Attempted(now, statusCode, null, excerpt);
        Status = WebhookDeliveryStatus.Succeeded;
        DeliveredAt = now;
        NextAttemptAt = null;
    }

    /// <summary>Any other answer, or none: try again after the schedule's next delay, or give up when it has none left.</summary>
    public void AttemptFailed(DateTimeOffset now, int? statusCode, string error, string? excerpt, TimeSpan? retryAfter)
    {
        Attempted(now, statusCode, error, excerpt);
        if (retryAfter is { } delay)
        {
            NextAttemptAt = now + delay;
            return;
        }

        Status = WebhookDeliveryStatus.Failed;
        NextAttemptAt = null;
    }

    private void Attempted(DateTimeOffset now, int? statusCode, string? error, string? excerpt)
    {
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = statusCode;
        LastError = error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error;
        ResponseExcerpt = excerpt is { Length: > MaxExcerptLength } ? excerpt[..MaxExcerptLength] : excerpt;
        LockedUntil = null;
        LockToken = null;
    }
}

public enum WebhookDeliveryStatus
{
    Pending = 0,
    Succeeded = 1,
    /// <summary>Every attempt of the schedule failed; a redelivery starts a new one.</summary>
    Failed = 2,
}

/// <summary>
/// When a failed delivery is tried again: 30 s, 2 min, 10 min, 1 h, 6 h, 12 h, then daily, about three
/// days in all; each delay varies by up to ±10 % (jitter), so receivers coming back are not hit by a wave.
/// </summary>
public static class WebhookRetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1),
        TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromHours(24), TimeSpan.FromHours(24),
    ];

    /// <summary>The delay after the <paramref name="attempts"/>-th failed attempt, or null: give up.</summary>
    /// <param name="jitter">A number in [0, 1) (random in production).</param>
    public static TimeSpan? After(int attempts, double jitter)
    {
        if (attempts < 1 || attempts > Delays.Count) return null;
        var delay = Delays[attempts - 1];
        return delay * (0.9 + 0.2 * jitter);
    }
}
