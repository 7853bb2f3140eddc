namespace Marketplace.QiwiEmulator;

/// <summary>
/// Behaviour switches of the emulator. Where the QIWI contract is unconfirmed, the choice made
/// here is the default and the alternative stays one setting away (docs/qiwi-rail.md).
/// </summary>
public sealed class EmulatorOptions
{
    public const string Section = "QiwiEmulator";

    /// <summary>Documented: 100 history requests a minute per wallet...</summary>
    public int HistoryRequestsPerMinute { get; set; } = 100;

    /// <summary>...then the wallet's history is blocked for 5 minutes with HTTP 423.</summary>
    public TimeSpan HistoryBlockDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Documented token lifetime: 180 days from issue.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Unconfirmed: whether an empty history answers 404 (as the error table suggests) or 200 with no data.</summary>
    public bool EmptyHistoryIsNotFound { get; set; }

    /// <summary>When set, the admin API requires this value in the X-Emulator-Admin-Key header.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Transfers start WAITING and settle after <see cref="WaitingDuration"/> (real QIWI did this at times), instead of SUCCESS at once.</summary>
    public bool TransfersStartWaiting { get; set; }

    public TimeSpan WaitingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How a WAITING transfer ends: SUCCESS, or ERROR (the money goes back to the sender).</summary>
    public string WaitingOutcome { get; set; } = "SUCCESS";

    /// <summary>Commission tariff per provider id (contract §5.2). Providers not listed charge nothing.</summary>
    public Dictionary<string, TariffOptions> Tariffs { get; set; } = new()
    {
        ["1963"] = new TariffOptions { Rate = 0.02m, Fixed = 50m },
        ["21013"] = new TariffOptions { Rate = 0.02m, Fixed = 50m },
        ["31652"] = new TariffOptions { Rate = 0.02m, Fixed = 50m },
        ["22351"] = new TariffOptions { Rate = 0.02m, Fixed = 50m },
    };

    /// <summary>Webhook re-delivery after a failed attempt: QIWI documents 10 minutes, then 1 hour.</summary>
    public List<TimeSpan> WebhookRetryDelays { get; set; } = [TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    /// <summary>QIWI required a handler to answer within 1-2 seconds.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>QIWI accepted only Internet hosts; the sandbox also takes loopback URLs unless this is false.</summary>
    public bool AllowLoopbackWebhooks { get; set; } = true;

    /// <summary>A file to keep wallets, tokens, history and hooks across restarts; empty keeps state in memory.</summary>
    public string? StateFile { get; set; }
}

public sealed class TariffOptions
{
    public decimal Rate { get; set; }
    public decimal Fixed { get; set; }
    public decimal? Min { get; set; }
    public decimal? Max { get; set; }
    public decimal LimitMin { get; set; } = 1m;
    public decimal LimitMax { get; set; } = 15_000m;

    /// <summary>rate × amount + fixed, bounded by min/max, rounded to kopecks.</summary>
    public decimal CommissionFor(decimal amount)
    {
        var commission = amount * Rate + Fixed;
        if (Min is { } min && commission < min) commission = min;
        if (Max is { } max && commission > max) commission = max;
        return decimal.Round(commission, 2, MidpointRounding.AwayFromZero);
    }
}
