using FsCheck;
using FsCheck.Fluent;
using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Orders.Events;
using Marketplace.Domain.Payments;

namespace Marketplace.Domain.Tests;

/// <summary>
/// Random orders and random transfers (any amount, a few currencies, before the order to well past the
/// monitoring window, pending, failed or final, arriving in any order, with or without the deadline job),
/// recorded the way the recorder records them and compared with <see cref="PaymentRulesModel"/> and with
/// invariants that need no model at all.
/// </summary>
public sealed class PaymentRulesPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(1500);

    private sealed record StepResult(ScenarioStep Step, string Result, PaymentOutcome? Outcome, IncomingPayment? Payment, bool Applied)
    {
        public override string ToString() => $"{Step}: {Result}";
    }

    private static (Order Order, List<StepResult> Results) Run(PaymentScenario scenario)
    {
        var spec = scenario.Order;
        var order = new Order(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            new PaymentDestination(Guid.NewGuid(), "qiwi", "+79001234567", Sandbox: true),
            spec.Quantity, new Money(spec.UnitPrice, spec.Currency), "7KQ3MXW9PA", spec.Created, spec.Window);
        order.ClearDomainEvents(); // placement's own event; the model counts what payments raise
        var now = spec.Created;
        var results = new List<StepResult>();
        foreach (var step in scenario.Steps)
        {
            now = now.AddSeconds(1);
            var t = step.Transfer;
            if (t is null)
            {
                if (now < spec.Expires) now = spec.Expires;
                bool expired;
                try
                {
                    order.Expire(now);
                    expired = true;
                }
                catch (DomainException)
                {
                    expired = false;
                }

                results.Add(new StepResult(step, expired.ToString(), null, null, expired));
            }
            else if (step.PendingObservation)
            {
                var held = order.RecordPendingPayment(t.Observe(TransferStatus.Pending), PaymentScenario.Rules, now);
                results.Add(new StepResult(step, held.ToString(), null, null, held));
            }
            else if (t.Fate == TransferFate.Fails)
            {
                var released = order.RecordFailedPayment(t.Id, now);
                results.Add(new StepResult(step, released.ToString(), null, null, released));
            }
            else
            {
                var transfer = t.Observe(TransferStatus.Succeeded);
                var payment = new IncomingPayment(Guid.NewGuid(), "qiwi", Guid.NewGuid(), transfer, PaymentOutcome.Unmatched, now);
                var outcome = order.RecordPayment(payment, transfer, PaymentSource.Comment, PaymentScenario.Rules, now);
                results.Add(new StepResult(step, outcome.ToString(), outcome, payment, true));
            }
        }

        return (order, results);
    }

    private static PaymentRulesModel Model(PaymentScenario scenario, List<string> results)
    {
        var model = new PaymentRulesModel(scenario.Order);
        foreach (var step in scenario.Steps)
        {
            var t = step.Transfer;
            var result = t is null ? model.Expire().ToString()
                : step.PendingObservation ? model.SeePending(t).ToString()
                : t.Fate == TransferFate.Fails ? model.Fail(t).ToString()
                : model.Succeed(t).ToString();
            results.Add($"{step}: {result}");
        }

        return model;
    }

    private static void Check(Action<PaymentScenario> property) =>
        FsCheck.Check.One(Runs, Prop.ForAll(PaymentScenario.Generator.ToArbitrary(), property));

    [Fact]
    public void The_order_follows_the_model_step_by_step() => Check(scenario =>
    {
        var (order, results) = Run(scenario);
        var expected = new List<string>();
        var model = Model(scenario, expected);

        Assert.Equal(expected, results.Select(r => r.ToString()));
        Assert.Equal(model.Status, order.Status);
        Assert.Equal(model.Paid, order.PaidAmount);
        Assert.Equal(model.Surplus, order.SurplusAmount);
        Assert.Equal(model.Pending, order.PendingTransactionId);
        Assert.Equal(model.Entries, order.History.Count);
        Assert.Equal(model.Paid >= scenario.Order.Total && model.PaidLate, order.PaidLate);

        var events = order.DomainEvents;
        Assert.Equal(model.Deliveries, events.OfType<OrderPaid>().Count());
        Assert.All(events.OfType<OrderPaid>(), paid => Assert.Equal(model.PaidLate, paid.Late));
        Assert.Equal(model.StockRequests, events.OfType<OrderNeedsStock>().Count());
        Assert.Equal(model.Refunds, events.OfType<OrderRefundDue>().Select(r => r.ReleasesStock));
        Assert.Equal(model.Holds, events.OfType<OrderPaymentProcessing>().Count());
        Assert.Equal(model.PartialPayments, events.OfType<OrderPartiallyPaid>().Count());
        Assert.Equal(model.Expirations, events.OfType<OrderExpired>().Count());
    });

    [Fact]
    public void The_paid_total_is_the_sum_of_the_counted_transfers() => Check(scenario =>
    {
        var (order, results) = Run(scenario);
        var total = scenario.Order.Total;
        var finals = results.Where(r => r.Outcome is not null).ToList();

        // Counted: the right currency, not before the order, not too late, and arriving while the total was not yet covered.
        var running = 0m;
        var expectedCounted = new List<string>();
        foreach (var r in finals)
        {
            var t = r.Step.Transfer!;
            var eligible = t.Currency == scenario.Order.Currency && t.Timing is not (TransferTiming.BeforeOrder or TransferTiming.TooLate);
            if (!eligible || running >= total) continue;
            expectedCounted.Add(t.Id);
            running += t.Amount;
        }

        var counted = finals.Where(r => r.Outcome!.Value.Counts()).ToList();
        Assert.Equal(expectedCounted, counted.Select(r => r.Step.Transfer!.Id));
        Assert.Equal(counted.Sum(r => r.Step.Transfer!.Amount), order.PaidAmount);
        Assert.Equal(Math.Max(0m, total - order.PaidAmount), order.AmountDue);
        Assert.Equal(order.PaidAmount >= total, order.PaidAt is not null);
        Assert.Equal(order.PaidAmount >= total, order.PaymentId is not null);

        var duplicates = finals.Where(r => r.Outcome == PaymentOutcome.Duplicate).Sum(r => r.Step.Transfer!.Amount);
        Assert.Equal(Math.Max(0m, order.PaidAmount - total) + duplicates, order.SurplusAmount);
        Assert.True(finals.Count(r => r.Outcome == PaymentOutcome.Accepted) <= 1, "more than one transfer was accepted");
        Assert.All(finals, r => Assert.Equal((order.Id, r.Outcome!.Value, PaymentSource.Comment), (r.Payment!.OrderId, r.Payment.Outcome, r.Payment.Source)));
    });

    [Fact]
    public void Without_the_deadline_job_the_order_is_delivered_iff_the_total_was_covered_while_it_held_its_items_and_never_restocked() => Check(scenario =>
    {
        if (scenario.Steps.Any(s => s.Transfer is null)) return;
        var (order, results) = Run(scenario);
        var total = scenario.Order.Total;

        // Only a late transfer that leaves the total uncovered gives the items back before the total is
        // reached, and not while another transfer in flight holds the order (it may still complete it).
        var running = 0m;
        var heldItems = true;
        var covered = false;
        string? holder = null;
        foreach (var r in results)
        {
            var transfer = r.Step.Transfer!;
            if (r.Step.PendingObservation)
            {
                if (r.Applied && holder is null) holder = transfer.Id;
                continue;
            }

            if (holder == transfer.Id) holder = null; // its final record settles the hold, whatever it is
            if (r.Outcome is not { } outcome || !outcome.Counts()) continue;
            running += transfer.Amount;
            if (running >= total)
            {
                covered = true;
                break;
            }

            if (outcome == PaymentOutcome.Late && holder is null) heldItems = false;
        }

        // Items are given back only by moving to RefundDue here (no deadline job), and money that completes
        // an order owing a refund adds to the refund: stock is never asked for again.
        Assert.Equal(covered && heldItems, order.Status == OrderStatus.Delivered);
        Assert.Empty(order.DomainEvents.OfType<OrderNeedsStock>());
        Assert.Equal(!heldItems, order.Status == OrderStatus.RefundDue);
    });

    [Fact]
    public void Every_change_and_every_recorded_transfer_leaves_one_history_line_and_one_version() => Check(scenario =>
    {
        var (order, results) = Run(scenario);
        var applied = results.Where(r => r.Applied).ToList();

        Assert.Equal(1 + applied.Count, order.History.Count);
        Assert.Equal(applied.Count, order.Version);
        Assert.Equal(applied.Select(r => r.Step.Transfer?.Id), order.History.Skip(1).Select(h => h.TransactionId));
        Assert.All(order.History.Skip(1), h => Assert.False(string.IsNullOrEmpty(h.Rule)));
        Assert.All(order.History.Zip(order.History.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
        Assert.Equal(order.Status, order.History[^1].To);
        Assert.True(order.DomainEvents.OfType<OrderPaid>().Count() <= 1, "the items were sold twice");
    });

    [Fact]
    public void The_scenarios_reach_every_rule()
    {
        var statuses = new HashSet<OrderStatus>();
        var outcomes = new HashSet<PaymentOutcome>();
        var events = new HashSet<Type>();
        foreach (var scenario in PaymentScenario.Generator.Sample(3000))
        {
            var (order, results) = Run(scenario);
            statuses.Add(order.Status);
            outcomes.UnionWith(results.Where(r => r.Outcome is not null).Select(r => r.Outcome!.Value));
            events.UnionWith(order.DomainEvents.Select(e => e.GetType()));
        }

        Assert.Superset(
            new HashSet<OrderStatus>([OrderStatus.AwaitingPayment, OrderStatus.PaymentProcessing, OrderStatus.PartiallyPaid, OrderStatus.Delivered, OrderStatus.Expired, OrderStatus.RefundDue]),
            statuses);
        Assert.Superset(
            new HashSet<PaymentOutcome>([PaymentOutcome.Accepted, PaymentOutcome.Partial, PaymentOutcome.Late, PaymentOutcome.Duplicate, PaymentOutcome.WrongCurrency, PaymentOutcome.BeforeOrder, PaymentOutcome.TooLate]),
            outcomes);
        Assert.Superset(
            new HashSet<Type>([typeof(OrderPaid), typeof(OrderPartiallyPaid), typeof(OrderPaymentProcessing), typeof(OrderRefundDue), typeof(OrderNeedsStock), typeof(OrderExpired)]),
            events);
    }
}
