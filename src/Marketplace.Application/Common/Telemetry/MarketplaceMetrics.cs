using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Marketplace.Domain.Payments;

namespace Marketplace.Application.Common.Telemetry;

/// <summary>
/// The service's own instruments, in one <see cref="Meter"/> named <see cref="MeterName"/> (docs/operations.md,
/// "Metrics", lists each). Tags are few and bounded (a reason code, an outcome, a provider), never an id:
/// one time series per wallet or order would grow without end. Recording is cheap and never throws, so a
/// caller may record anywhere, inside a transaction too.
/// </summary>
public sealed class MarketplaceMetrics
{
    public const string MeterName = "Marketplace";

    /// <summary>A wallet not read for this long is no longer watched: it leaves the largest-lag gauge.</summary>
    internal static readonly TimeSpan LagWatchWindow = TimeSpan.FromMinutes(15);

    /// <summary>Bounds the per-wallet lag table: past it, the oldest reads are dropped first.</summary>
    internal const int MaxWalletsTracked = 100_000;

    private readonly TimeProvider _clock;
    private readonly Counter<long> _ordersPlaced;
    private readonly Counter<long> _ordersRejected;
    private readonly Histogram<double> _placementDuration;
    private readonly Histogram<double> _passDuration;
    private readonly Histogram<long> _walletsPerPass;
    private readonly Histogram<long> _requestsPerWallet;
    private readonly Histogram<double> _walletLag;
    private readonly Counter<long> _transfersRecorded;
    private readonly Histogram<double> _paymentToDelivery;
    /// <summary>Per wallet: its synced point and when it was last read (for the largest-lag gauge).</summary>
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset SyncedUpTo, DateTimeOffset ReadAt)> _walletSync = new();

    public MarketplaceMetrics(IMeterFactory meters, TimeProvider clock, IWebhookBacklogProbe webhookBacklog)
    {
        _clock = clock;
        var meter = meters.Create(MeterName);
        _ordersPlaced = meter.CreateCounter<long>("marketplace.orders.placed", "{order}",
            "Orders placed: items reserved and an order opened awaiting payment.");
        _ordersRejected = meter.CreateCounter<long>("marketplace.orders.rejected", "{order}",
            "Order placements refused for a business reason; tag reason is the problem code (order.out_of_stock, ...).");
        _placementDuration = meter.CreateHistogram<double>("marketplace.orders.reservation.duration", "s",
            "Time to place an order (checks, stock reservation, commit), placed or rejected.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FastBuckets });
        _passDuration = meter.CreateHistogram<double>("marketplace.matcher.pass.duration", "s",
            "Duration of one matcher pass over every watched wallet (reads, recording, expiry).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SlowBuckets });
        _walletsPerPass = meter.CreateHistogram<long>("marketplace.matcher.pass.wallets", "{wallet}",
            "Wallets read by one matcher pass.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] });
        _requestsPerWallet = meter.CreateHistogram<long>("marketplace.matcher.wallet.requests", "{request}",
            "History requests spent on one wallet read, by provider.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 2, 3, 4, 5, 8, 10, 15, 20, 30, 50] });
        _walletLag = meter.CreateHistogram<double>("marketplace.matcher.wallet.lag", "s",
            "At each wallet read: now minus the point up to which the wallet's history is completely read, by provider.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SlowBuckets });
        meter.CreateObservableGauge("marketplace.matcher.wallet.lag.max", ObserveLargestLag, "s",
            "The largest lag among wallets read in the last 15 minutes (now minus the wallet's synced point).");
        _transfersRecorded = meter.CreateCounter<long>("marketplace.payments.transfers.recorded", "{transfer}",
            "Incoming transfers recorded by the matcher, by outcome (accepted, partial, late, duplicate, unmatched, ...).");
        _paymentToDelivery = meter.CreateHistogram<double>("marketplace.orders.payment_to_delivery.duration", "s",
            "From the paying transfer's time as the rail reports it to the order's delivery.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SlowBuckets });
        meter.CreateObservableGauge("marketplace.webhooks.outbox.backlog", () => ObserveBacklog(webhookBacklog), "{delivery}",
            "Outgoing webhook deliveries not yet delivered nor given up (read at most every few seconds).");
    }

    /// <summary>Sub-second work (a request): 5 ms to 10 s.</summary>
    private static readonly double[] FastBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10];

    /// <summary>Background work and waits: 50 ms to an hour.</summary>
    private static readonly double[] SlowBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    public void OrderPlaced(TimeSpan duration)
    {
        _ordersPlaced.Add(1);
        _placementDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "placed"));
    }

    public void OrderRejected(string reason, TimeSpan duration)
    {
        _ordersRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _placementDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "rejected"));
    }

    public void MatcherPass(TimeSpan duration, int wallets)
    {
        _passDuration.Record(duration.TotalSeconds);
        _walletsPerPass.Record(wallets);
    }

    /// <summary>One read of one wallet: the requests it spent and how far behind the wallet's history still is.</summary>
    public void WalletRead(Guid walletId, string provider, int requests, DateTimeOffset? syncedUpTo)
    {
        var tag = new KeyValuePair<string, object?>("provider", provider);
        _requestsPerWallet.Record(requests, tag);
        if (syncedUpTo is not { } synced) return;
        var now = _clock.GetUtcNow();
        _walletLag.Record(NonNegative(now - synced).TotalSeconds, tag);
        if (_walletSync.Count >= MaxWalletsTracked) Prune(now, force: true);
        _walletSync[walletId] = (synced, now);
    }

    public void TransferRecorded(PaymentOutcome outcome) =>
        _transfersRecorded.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeTag(outcome)));

    /// <summary>A paid order delivered its items: <paramref name="paidAt"/> is the transfer's time as the rail reported it.</summary>
    public void OrderDelivered(DateTimeOffset paidAt, DateTimeOffset deliveredAt) =>
        _paymentToDelivery.Record(NonNegative(deliveredAt - paidAt).TotalSeconds);

    /// <summary>snake_case names of the outcomes, allocated once.</summary>
    private static readonly Dictionary<PaymentOutcome, string> OutcomeTags = Enum.GetValues<PaymentOutcome>()
        .ToDictionary(o => o, o => string.Concat(o.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())));

    internal static string OutcomeTag(PaymentOutcome outcome) => OutcomeTags.GetValueOrDefault(outcome, "other");

    private IEnumerable<Measurement<double>> ObserveLargestLag()
    {
        var now = _clock.GetUtcNow();
        Prune(now, force: false);
        if (_walletSync.IsEmpty) return [];
        var largest = _walletSync.Values.Max(v => now - v.SyncedUpTo);
        return [new Measurement<double>(NonNegative(largest).TotalSeconds)];
    }

    /// <summary>Wallets no pass read lately are no longer watched (or gone); when full, the least recently read go too.</summary>
    private void Prune(DateTimeOffset now, bool force)
    {
        foreach (var (walletId, entry) in _walletSync)
            if (now - entry.ReadAt > LagWatchWindow) _walletSync.TryRemove(walletId, out _);
        if (!force || _walletSync.Count < MaxWalletsTracked) return;
        foreach (var stale in _walletSync.OrderBy(e => e.Value.ReadAt).Take(_walletSync.Count / 10 + 1).ToList())
            _walletSync.TryRemove(stale.Key, out _);
    }

    private static IEnumerable<Measurement<long>> ObserveBacklog(IWebhookBacklogProbe probe) =>
        probe.Latest() is { } count ? [new Measurement<long>(count)] : [];

    private static TimeSpan NonNegative(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;
}
