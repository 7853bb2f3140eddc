namespace Marketplace.QiwiEmulator;

/// <summary>
/// Behaviour switches of the emulator. Where the QIWI contract is unconfirmed, the choice made
/// here is the default and the alternative stays one setting away (docs/qiwi-rail.md).
/// </summary>
public sealed class EmulatorOptions
{
    public const string Section = "QiwiEmulator";

    /// <summary>Sent on every answer while <see cref="AnnounceAsEmulator"/> is on: a Live marketplace refuses such answers.</summary>
    public const string AnnouncementHeader = "X-Qiwi-Emulator";

    /// <summary>
    /// On (the default): every answer carries <see cref="AnnouncementHeader"/>. Off only to stand in for the
    /// real wallet in a test of a Live service; never in a sandbox that anyone can reach.
    /// </summary>
    public bool AnnounceAsEmulator { get; set; } = true;

    /// <summary>Documented: 100 history requests a minute per wallet...</summary>
    public int HistoryRequestsPerMinute { get; set; } = 100;

    /// <summary>...then the wallet's history is blocked for 5 minutes with HTTP 423.</summary>
    public TimeSpan HistoryBlockDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Documented token lifetime: 180 days from issue.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Unconfirmed: whether an empty history answers 404 (as the error table suggests) or 200 with no data.</summary>
    public bool EmptyHistoryIsNotFound { get; set; }

    /// <summary>
    /// The value the admin API requires in the X-Emulator-Admin-Key header. The admin API is never
    /// open: when this is empty a key is generated at start-up and kept in <see cref="AdminKeyFile"/>
    /// (see <see cref="EmulatorAdminKey"/>).
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// Where a generated admin key is kept (created owner-only, reused on later starts). Default:
    /// qiwi-emulator-admin-key in the folder of <see cref="StateFile"/>, or data/qiwi-emulator-admin-key
    /// when there is no state file. Unused when <see cref="AdminKey"/> is set.
    /// </summary>
    public string? AdminKeyFile { get; set; }

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

    /// <summary>
    /// QIWI accepted only Internet hosts, and so does the emulator: hook URLs whose host is (or
    /// resolves to) a loopback, private, link-local or otherwise non-public address are refused at
    /// registration and again at delivery (State/WebhookTargetPolicy.cs). True lifts that check
    /// for every non-public target. Default: on only in the Development environment
    /// (decided in AddQiwiEmulator); explicit configuration wins.
    /// </summary>
    public bool AllowLoopbackWebhooks { get; set; }

    /// <summary>
    /// Monthly operation limits reported by qw-limits (contract §9.4), by limit type, in RUB. QIWI set them
    /// by identification level; these defaults are the emulator's own (every emulator wallet is VERIFIED).
    /// Reported, not enforced: payments are not refused for exceeding them.
    /// </summary>
    public Dictionary<string, decimal> OperationLimits { get; set; } = new(StringComparer.Ordinal)
    {
        ["REFILL"] = 600_000m,
        ["TURNOVER"] = 1_000_000m,
        ["PAYMENTS_P2P"] = 200_000m,
        ["PAYMENTS_PROVIDER_INTERNATIONALS"] = 200_000m,
        ["PAYMENTS_PROVIDER_PAYOUT"] = 200_000m,
        ["WITHDRAW_CASH"] = 200_000m,
    };

    /// <summary>
    /// What one unit of each currency (ISO numeric code) is worth in rubles, for sinap/crossRates (contract §6.4).
    /// Every pair of listed currencies is reported. Emulator values, not market data.
    /// </summary>
    public Dictionary<string, decimal> CurrencyRates { get; set; } = new(StringComparer.Ordinal)
    {
        ["643"] = 1m,
        ["840"] = 90m,
        ["978"] = 98m,
        ["398"] = 0.18m,
    };

    /// <summary>Bounds on the state sandbox use can grow: key holders, payers and hook owners alike (docs/qiwi-rail.md, "Limits").</summary>
    public EmulatorLimits Limits { get; set; } = new();

    /// <summary>A file to keep wallets, tokens, history and hooks across restarts; empty keeps state in memory.</summary>
    public string? StateFile { get; set; }
}

/// <summary>
/// Upper bounds on everything a caller can add to the emulator's state, so memory and the state
/// file stay bounded: at most MaxWallets × (MaxHistoryRowsPerWallet rows + MaxPaymentIdsPerWallet
/// ids + MaxInactiveTokensPerWallet + 1 tokens), plus MaxPendingDeliveries notifications in memory.
/// </summary>
public sealed class EmulatorLimits
{
    /// <summary>Wallets in the whole emulator; the admin API answers 409 emulator.wallets.full beyond it.</summary>
    public int MaxWallets { get; set; } = 1_000;

    /// <summary>Wallets one caller (client address; IPv6 by /64) may create; 429 emulator.wallets.caller-quota beyond it.</summary>
    public int MaxWalletsPerCaller { get; set; } = 100;

    /// <summary>Revoked or expired tokens kept per wallet (they answer 401 either way); older ones are forgotten.</summary>
    public int MaxInactiveTokensPerWallet { get; set; } = 3;

    /// <summary>History rows per wallet; payments and injections that would add more are refused.</summary>
    public int MaxHistoryRowsPerWallet { get; set; } = 1_000;

    /// <summary>Payment client ids remembered per wallet (the idempotency record); new ids beyond it are refused.</summary>
    public int MaxPaymentIdsPerWallet { get; set; } = 1_000;

    /// <summary>Webhook notifications waiting for (re)delivery in the whole emulator.</summary>
    public int MaxPendingDeliveries { get; set; } = 1_000;

    /// <summary>Webhook notifications waiting for (re)delivery per wallet.</summary>
    public int MaxPendingDeliveriesPerWallet { get; set; } = 20;

    /// <summary>Characters in a payment comment (QIWI's own maximum is unconfirmed, contract §6.1).</summary>
    public int MaxCommentLength { get; set; } = 500;

    /// <summary>Virtual cards per wallet (QIWI Master allowed five); the admin API answers 409 emulator.cards.full beyond it.</summary>
    public int MaxCardsPerWallet { get; set; } = 5;

    /// <summary>Invoices per wallet, in any status; the admin API answers 409 emulator.bills.full beyond it.</summary>
    public int MaxBillsPerWallet { get; set; } = 100;

    /// <summary>E-mailed receipts remembered per wallet (a log for inspection, not evidence); older entries are forgotten.</summary>
    public int MaxSentReceiptsPerWallet { get; set; } = 20;
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
