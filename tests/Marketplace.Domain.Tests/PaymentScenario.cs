using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Marketplace.Domain.Payments;

namespace Marketplace.Domain.Tests;

/// <summary>When a transfer was made, relative to the order (the model decides on this, never on the instant itself).</summary>
public enum TransferTiming { BeforeOrder, WithinSkew, InTime, AtDeadline, Late, AtWindowEnd, TooLate }

/// <summary>What finally becomes of a transfer on the wallet.</summary>
public enum TransferFate { Succeeds, Fails, StaysPending }

public sealed record OrderSpec(decimal UnitPrice, int Quantity, string Currency, DateTimeOffset Created, TimeSpan Window)
{
    public decimal Total => UnitPrice * Quantity;
    public DateTimeOffset Expires => Created + Window;
}

public sealed record TransferSpec(string Id, decimal Amount, string? Currency, TransferTiming Timing, DateTimeOffset At, TransferFate Fate, bool SeenPending)
{
    public ObservedTransfer Observe(TransferStatus status) => new(Id, At, Amount, Currency, status, "7KQ3MXW9PA", "+79990000000");

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Id}: {Amount} {Currency ?? "null"} {Timing} @{At:O} {Fate}{(SeenPending ? " seen-pending" : "")}");
}

/// <summary>One thing the recorder or the expiry job does. A null transfer is the expiry job.</summary>
public sealed record ScenarioStep(TransferSpec? Transfer, bool PendingObservation)
{
    public override string ToString() => Transfer is null ? "expire" : (PendingObservation ? "pending " : "final ") + Transfer.Id;
}

/// <summary>An order and the transfers its wallet shows for it, in the order the recorder sees them.</summary>
public sealed record PaymentScenario(OrderSpec Order, IReadOnlyList<TransferSpec> Transfers, IReadOnlyList<ScenarioStep> Steps)
{
    public static readonly PaymentRules Rules = PaymentRules.Default;
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Currencies = ["RUB", "USD", "EUR"];

    public override string ToString() =>
        $"{Order}\n  transfers:\n    {string.Join("\n    ", Transfers)}\n  steps: {string.Join(", ", Steps)}";

    public static Gen<PaymentScenario> Generator =>
        from order in OrderGen
        from count in Gen.Choose(0, 7)
        from transfers in Gen.CollectToArray(Enumerable.Range(1, count), i => TransferGen(order, $"t{i}"))
        from expires in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
        from steps in StepsGen(transfers, expires)
        select new PaymentScenario(order, transfers, steps);

    private static Gen<OrderSpec> OrderGen =>
        from cents in Gen.Frequency((3, Gen.Choose(1, 100_000)), (1, Gen.Choose(1, 300)))
        from quantity in Gen.Choose(1, 3)
        from currency in Gen.Elements(Currencies)
        from created in Gen.Choose(0, 10_000_000)
        from windowMinutes in Gen.Choose(1, 180)
        select new OrderSpec(cents / 100m, quantity, currency, Epoch.AddSeconds(created), TimeSpan.FromMinutes(windowMinutes));

    private static Gen<TransferSpec> TransferGen(OrderSpec order, string id) =>
        from amount in AmountGen(order.Total)
        from currency in Gen.Frequency(
            (8, Gen.Constant<string?>(order.Currency)),
            (2, Gen.Elements<string?>("RUB", "USD", "EUR", "KZT")),
            (1, Gen.Constant<string?>(null)))
        from timing in Gen.Frequency(
            (1, Gen.Constant(TransferTiming.BeforeOrder)), (1, Gen.Constant(TransferTiming.WithinSkew)),
            (6, Gen.Constant(TransferTiming.InTime)), (1, Gen.Constant(TransferTiming.AtDeadline)),
            (2, Gen.Constant(TransferTiming.Late)), (1, Gen.Constant(TransferTiming.AtWindowEnd)),
            (1, Gen.Constant(TransferTiming.TooLate)))
        from at in InstantGen(order, timing)
        from fate in Gen.Frequency((6, Gen.Constant(TransferFate.Succeeds)), (2, Gen.Constant(TransferFate.Fails)), (1, Gen.Constant(TransferFate.StaysPending)))
        from seenPending in Gen.Elements(true, false)
        select new TransferSpec(id, amount, currency, timing, at, fate, seenPending || fate == TransferFate.StaysPending);

    private static Gen<decimal> AmountGen(decimal total) =>
        Gen.Frequency(
            (3, Gen.Constant(total)),
            (4, Gen.Choose(1, 99).Select(percent => Math.Max(0.01m, Math.Round(total * percent / 100m, 2)))),
            (1, Gen.Constant(total + 0.01m)),
            (1, Gen.Constant(Math.Max(0.01m, total - 0.01m))),
            (1, Gen.Choose(1, 200_000).Select(cents => cents / 100m)));

    private static Gen<DateTimeOffset> InstantGen(OrderSpec order, TransferTiming timing)
    {
        var skew = (int)Rules.ClockSkew.TotalSeconds;
        var window = (int)order.Window.TotalSeconds;
        var monitoring = Rules.MonitoringWindow;
        return timing switch
        {
            TransferTiming.BeforeOrder => Gen.Choose(1, 86_400).Select(s => order.Created.AddSeconds(-skew - s)),
            TransferTiming.WithinSkew => Gen.Choose(0, skew).Select(s => order.Created.AddSeconds(-s)),
            TransferTiming.InTime => Gen.Choose(0, window).Select(s => order.Created.AddSeconds(s)),
            TransferTiming.AtDeadline => Gen.Constant(order.Expires),
            TransferTiming.Late => Gen.Choose(1, (int)monitoring.TotalSeconds - 1).Select(s => order.Expires.AddSeconds(s)),
            TransferTiming.AtWindowEnd => Gen.Constant(order.Expires + monitoring),
            _ => Gen.Choose(1, 3 * 86_400).Select(s => order.Expires + monitoring + TimeSpan.FromSeconds(s)),
        };
    }

    /// <summary>
    /// Every observation in a random order, except that a transfer seen pending is seen pending before
    /// it is final: its first appearance is the pending one.
    /// </summary>
    private static Gen<ScenarioStep[]> StepsGen(TransferSpec[] transfers, bool expires)
    {
        var tokens = new List<TransferSpec?>();
        foreach (var t in transfers)
        {
            if (t.SeenPending) tokens.Add(t);
            if (t.Fate != TransferFate.StaysPending) tokens.Add(t);
        }

        if (expires) tokens.Add(null);
        return Gen.Shuffle(tokens.ToArray()).Select(order =>
        {
            var seen = new HashSet<string>();
            return order.Select(t => t is null
                ? new ScenarioStep(null, false)
                : new ScenarioStep(t, seen.Add(t.Id) && t.SeenPending)).ToArray();
        });
    }
}
