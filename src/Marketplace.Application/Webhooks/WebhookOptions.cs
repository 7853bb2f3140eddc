namespace Marketplace.Application.Webhooks;

/// <summary>Settings of outgoing webhooks (section "Webhooks"); docs/webhooks.md and docs/operations.md describe them.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Run the relay on this instance (every instance may: claims are leased, SKIP LOCKED on PostgreSQL).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often the relay looks for due deliveries when the last pass found none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deliveries claimed per pass.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Endpoints delivered to at the same time by one instance; each endpoint gets one request at a time.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How long a claim holds; longer than a request's timeout, so a live relay never loses its claim mid-request.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An endpoint is disabled after this many failed attempts in a row...</summary>
    public int DisableAfterConsecutiveFailures { get; set; } = 100;

    /// <summary>... or when it has failed without a single success for this long.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Events (and their deliveries) older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Allow receivers on loopback and private addresses. Never in Live (it would let anyone make the
    /// service call its own network); on by default in Sandbox, for receivers on the developer's machine.
    /// </summary>
    public bool? AllowPrivateTargets { get; set; }

    public bool IsValid() =>
        PollInterval >= TimeSpan.FromMilliseconds(50) && PollInterval <= TimeSpan.FromMinutes(5)
        && BatchSize is >= 1 and <= 1000 && MaxConcurrency is >= 1 and <= 256
        && RequestTimeout >= TimeSpan.FromSeconds(1) && RequestTimeout <= TimeSpan.FromMinutes(1)
        && Lease > RequestTimeout * 2 && DisableAfterConsecutiveFailures >= 1
        && DisableAfterFailingFor >= TimeSpan.FromMinutes(1) && Retention >= TimeSpan.FromDays(1);
}
