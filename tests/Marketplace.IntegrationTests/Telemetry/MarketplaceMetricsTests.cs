using System.Diagnostics.Metrics;
using Marketplace.Application.Common.Telemetry;
using Marketplace.Domain.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.IntegrationTests.Telemetry;

/// <summary>The meter class alone: what each call records, with which tags, and the largest-lag gauge's memory.</summary>
public sealed class MarketplaceMetricsTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeBacklog _backlog = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measured = [];
    private readonly MarketplaceMetrics _metrics;

    public MarketplaceMetricsTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _metrics = new MarketplaceMetrics(factory, _clock, _backlog);
        // Only this test's meter: other tests' hosts create meters of the same name in this process.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_measured) _measured.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
    }

    private List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measured(string name)
    {
        lock (_measured) return _measured.Where(m => m.Instrument == name).ToList();
    }

    private List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Observe(string name)
    {
        lock (_measured) _measured.RemoveAll(m => m.Instrument == name);
        _listener.RecordObservableInstruments();
        return Measured(name);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void Placed_and_rejected_orders_are_counted_and_timed_with_their_reason()
    {
        _metrics.OrderPlaced(TimeSpan.FromMilliseconds(40));
        _metrics.OrderRejected("order.out_of_stock", TimeSpan.FromMilliseconds(10));

        Assert.Equal(1, Assert.Single(Measured("marketplace.orders.placed")).Value);
        var rejected = Assert.Single(Measured("marketplace.orders.rejected"));
        Assert.Equal("order.out_of_stock", rejected.Tags["reason"]);
        var durations = Measured("marketplace.orders.reservation.duration");
        Assert.Equal([0.04, 0.01], durations.Select(d => d.Value));
        Assert.Equal(["placed", "rejected"], durations.Select(d => d.Tags["outcome"]));
    }

    [Theory]
    [InlineData(PaymentOutcome.Accepted, "accepted")]
    [InlineData(PaymentOutcome.WrongCurrency, "wrong_currency")]
    [InlineData(PaymentOutcome.BeforeOrder, "before_order")]
    [InlineData(PaymentOutcome.TooLate, "too_late")]
    [InlineData(PaymentOutcome.Duplicate, "duplicate")]
    public void Transfers_are_counted_by_their_outcome_in_snake_case(PaymentOutcome outcome, string tag)
    {
        _metrics.TransferRecorded(outcome);

        Assert.Equal(tag, Assert.Single(Measured("marketplace.payments.transfers.recorded")).Tags["outcome"]);
    }

    [Fact]
    public void A_wallet_read_records_its_requests_and_lag_by_provider_never_by_wallet()
    {
        var wallet = Guid.NewGuid();
        _metrics.WalletRead(wallet, "qiwi", 3, _clock.GetUtcNow().AddSeconds(-12));

        var requests = Assert.Single(Measured("marketplace.matcher.wallet.requests"));
        var lag = Assert.Single(Measured("marketplace.matcher.wallet.lag"));
        Assert.Equal(3, requests.Value);
        Assert.Equal(12, lag.Value);
        Assert.Equal(["provider"], requests.Tags.Keys);
        Assert.Equal(["provider"], lag.Tags.Keys);
        Assert.Equal("qiwi", lag.Tags["provider"]);
    }

    [Fact]
    public void The_largest_lag_gauge_keeps_only_wallets_read_lately()
    {
        Assert.Empty(Observe("marketplace.matcher.wallet.lag.max")); // nothing read yet: no value rather than a made-up zero

        var now = _clock.GetUtcNow();
        var healthy = Guid.NewGuid();
        _metrics.WalletRead(healthy, "qiwi", 1, now.AddSeconds(-10));
        var stuck = Guid.NewGuid();
        _metrics.WalletRead(stuck, "qiwi", 8, now.AddMinutes(-5));
        _metrics.WalletRead(Guid.NewGuid(), "qiwi", 1, null); // never synced: no lag to report
        Assert.Equal(300, Assert.Single(Observe("marketplace.matcher.wallet.lag.max")).Value);

        // Ten minutes on, only the healthy wallet is read again: the stuck one still counts, its lag grown.
        _clock.Advance(TimeSpan.FromMinutes(10));
        _metrics.WalletRead(healthy, "qiwi", 1, _clock.GetUtcNow().AddSeconds(-10));
        Assert.Equal(900, Assert.Single(Observe("marketplace.matcher.wallet.lag.max")).Value);

        // The stuck wallet read again, caught up.
        _metrics.WalletRead(stuck, "qiwi", 2, _clock.GetUtcNow().AddSeconds(-20));
        Assert.Equal(20, Assert.Single(Observe("marketplace.matcher.wallet.lag.max")).Value);

        // Nobody read for longer than the watch window: no wallet is watched any more.
        _clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Empty(Observe("marketplace.matcher.wallet.lag.max"));
    }

    [Fact]
    public void Payment_to_delivery_never_goes_negative_when_the_rail_clock_runs_ahead()
    {
        var now = _clock.GetUtcNow();
        _metrics.OrderDelivered(now.AddSeconds(-30), now);
        _metrics.OrderDelivered(now.AddSeconds(5), now);

        Assert.Equal([30, 0], Measured("marketplace.orders.payment_to_delivery.duration").Select(m => m.Value));
    }

    [Fact]
    public void The_backlog_gauge_reports_what_the_probe_last_read()
    {
        Assert.Empty(Observe("marketplace.webhooks.outbox.backlog"));

        _backlog.Count = 7;
        Assert.Equal(7, Assert.Single(Observe("marketplace.webhooks.outbox.backlog")).Value);
    }

    [Fact]
    public void A_matcher_pass_records_its_duration_and_wallets()
    {
        _metrics.MatcherPass(TimeSpan.FromSeconds(1.5), 4);

        Assert.Equal(1.5, Assert.Single(Measured("marketplace.matcher.pass.duration")).Value);
        Assert.Equal(4, Assert.Single(Measured("marketplace.matcher.pass.wallets")).Value);
    }

    private sealed class FakeBacklog : IWebhookBacklogProbe
    {
        public long? Count { get; set; }

        public long? Latest() => Count;
    }
}
