using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Orders.Events;
using Marketplace.Domain.Payments;
using static Marketplace.Domain.Tests.TestOrders;

namespace Marketplace.Domain.Tests;

/// <summary>One test per payment rule, through <see cref="Order.RecordPayment"/> (total 300.00 RUB).</summary>
public sealed class OrderPaymentTests
{
    private static readonly DateTimeOffset InTime = Placed.AddMinutes(10);

    [Fact]
    public void An_exact_payment_in_time_delivers()
    {
        var order = New();
        var transfer = Transfer("t1", 300m, InTime);
        var payment = Record(transfer);
        var now = InTime.AddMinutes(1);

        var outcome = order.RecordPayment(payment, transfer, PaymentSource.Comment, Rules, now);

        Assert.Equal(PaymentOutcome.Accepted, outcome);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal((300m, 0m, 0m), (order.PaidAmount, order.AmountDue, order.SurplusAmount));
        Assert.Equal(InTime, order.PaidAt);
        Assert.Equal(now, order.DeliveredAt);
        Assert.Equal(payment.Id, order.PaymentId);
        Assert.False(order.PaidLate);
        Assert.Equal(new OrderPaid(order.Id, Late: false, now), Assert.Single(order.DomainEvents));
        var entry = order.LastEntry();
        Assert.Equal((OrderStatus.AwaitingPayment, OrderStatus.Delivered, "payment.exact", "t1"), (entry.From, entry.To, entry.Rule, entry.TransactionId));
        Assert.Equal(1, order.Version);
        Assert.Equal((order.Id, PaymentOutcome.Accepted, PaymentSource.Comment), (payment.OrderId, payment.Outcome, payment.Source));
    }

    [Fact]
    public void The_paid_instant_is_kept_in_utc()
    {
        var order = New();
        var moscow = new DateTimeOffset(2026, 5, 1, 15, 10, 0, TimeSpan.FromHours(3));
        order.Pay("t1", 300m, moscow);
        Assert.Equal(TimeSpan.Zero, order.PaidAt!.Value.Offset);
        Assert.Equal(moscow, order.PaidAt.Value);
    }

    [Fact]
    public void An_overpayment_in_one_transfer_delivers_and_keeps_the_surplus()
    {
        var order = New();

        Assert.Equal(PaymentOutcome.Accepted, order.Pay("t1", 350.50m, InTime));

        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(350.50m, order.PaidAmount);
        Assert.Equal(50.50m, order.SurplusAmount);
        Assert.Equal("payment.exact", order.LastEntry().Rule);
    }

    [Fact]
    public void Two_transfers_adding_up_deliver_on_the_second()
    {
        var order = New();
        var first = Record(Transfer("t1", 100m, InTime));
        var second = Record(Transfer("t2", 200m, InTime.AddMinutes(5)));

        var firstOutcome = order.RecordPayment(first, Transfer("t1", 100m, InTime), PaymentSource.Comment, Rules, InTime);

        Assert.Equal(PaymentOutcome.Partial, firstOutcome);
        Assert.Equal(OrderStatus.PartiallyPaid, order.Status);
        Assert.Equal((100m, 200m), (order.PaidAmount, order.AmountDue));
        Assert.Equal(new OrderPartiallyPaid(order.Id, InTime), order.Single<OrderPartiallyPaid>());
        Assert.Equal(("payment.partial", "t1"), (order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.Null(order.PaidAt);

        var secondOutcome = order.RecordPayment(second, Transfer("t2", 200m, InTime.AddMinutes(5)), PaymentSource.Comment, Rules, InTime.AddMinutes(5));

        Assert.Equal(PaymentOutcome.Accepted, secondOutcome);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal((300m, 0m, 0m), (order.PaidAmount, order.AmountDue, order.SurplusAmount));
        Assert.Equal(second.Id, order.PaymentId);
        Assert.Equal(InTime.AddMinutes(5), order.PaidAt);
        Assert.Equal((OrderStatus.PartiallyPaid, OrderStatus.Delivered, "payment.split_completed", "t2"),
            (order.LastEntry().From, order.LastEntry().To, order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.False(order.Single<OrderPaid>().Late);
        Assert.Equal(2, order.Version);
    }

    [Fact]
    public void Three_partial_transfers_stay_partly_paid_until_the_total_is_reached()
    {
        var order = New();
        Assert.Equal(PaymentOutcome.Partial, order.Pay("t1", 100m, InTime));
        Assert.Equal(PaymentOutcome.Partial, order.Pay("t2", 100m, InTime.AddMinutes(1)));
        Assert.Equal((OrderStatus.PartiallyPaid, 100m), (order.Status, order.AmountDue));
        Assert.Equal(PaymentOutcome.Accepted, order.Pay("t3", 150m, InTime.AddMinutes(2)));
        Assert.Equal((OrderStatus.Delivered, 350m, 50m), (order.Status, order.PaidAmount, order.SurplusAmount));
    }

    [Theory]
    [InlineData("USD")]
    [InlineData(null)]
    public void A_transfer_in_another_currency_is_not_counted(string? currency)
    {
        var order = New();

        Assert.Equal(PaymentOutcome.WrongCurrency, order.Pay("t1", 300m, InTime, currency));

        Assert.Equal((OrderStatus.AwaitingPayment, 0m), (order.Status, order.PaidAmount));
        Assert.Empty(order.DomainEvents);
        var note = order.LastEntry();
        Assert.Equal((OrderStatus.AwaitingPayment, OrderStatus.AwaitingPayment, "payment.wrong_currency", "t1"), (note.From, note.To, note.Rule, note.TransactionId));
        Assert.Equal(1, order.Version);
    }

    [Fact]
    public void A_transfer_made_before_the_order_beyond_the_clock_skew_is_not_counted()
    {
        var order = New();

        Assert.Equal(PaymentOutcome.BeforeOrder, order.Pay("t1", 300m, Placed - Rules.ClockSkew - TimeSpan.FromSeconds(1)));

        Assert.Equal((OrderStatus.AwaitingPayment, 0m), (order.Status, order.PaidAmount));
        Assert.Equal(("payment.before_order", "t1"), (order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void A_transfer_made_before_the_order_within_the_clock_skew_counts()
    {
        var order = New();
        Assert.Equal(PaymentOutcome.Accepted, order.Pay("t1", 300m, Placed - Rules.ClockSkew));
        Assert.Equal(OrderStatus.Delivered, order.Status);
    }

    [Fact]
    public void A_transfer_made_exactly_at_the_deadline_is_in_time()
    {
        var order = New();
        Assert.Equal(PaymentOutcome.Accepted, order.Pay("t1", 300m, Deadline));
        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.False(order.PaidLate);
    }

    [Fact]
    public void A_late_transfer_covering_an_order_still_holding_its_items_delivers_late()
    {
        var order = New();
        order.Pay("t1", 100m, InTime);
        var now = Deadline.AddHours(2);

        Assert.Equal(PaymentOutcome.Late, order.Pay("t2", 200m, Deadline.AddHours(1), now: now));

        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.True(order.PaidLate);
        Assert.Equal(Deadline.AddHours(1), order.PaidAt);
        Assert.Equal(new OrderPaid(order.Id, Late: true, now), order.Single<OrderPaid>());
        Assert.Equal(("payment.late_fulfilled", "t2"), (order.LastEntry().Rule, order.LastEntry().TransactionId));
    }

    [Fact]
    public void A_late_transfer_that_does_not_cover_the_total_owes_a_refund_and_returns_the_items()
    {
        var order = New();
        var now = Deadline.AddHours(2);

        Assert.Equal(PaymentOutcome.Late, order.Pay("t1", 299.99m, Deadline.AddHours(1), now: now));

        Assert.Equal(OrderStatus.RefundDue, order.Status);
        Assert.Equal(299.99m, order.PaidAmount);
        Assert.Equal(new OrderRefundDue(order.Id, ReleasesStock: true, now), order.Single<OrderRefundDue>());
        Assert.Equal((OrderStatus.AwaitingPayment, "payment.late_partial", "t1"), (order.LastEntry().From, order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.Null(order.PaidAt);
        Assert.Empty(order.DomainEvents.OfType<OrderPaid>());
    }

    [Fact]
    public void A_transfer_after_the_monitoring_window_is_too_late()
    {
        var order = New();

        Assert.Equal(PaymentOutcome.TooLate, order.Pay("t1", 300m, Deadline + Rules.MonitoringWindow + TimeSpan.FromSeconds(1)));

        Assert.Equal((OrderStatus.AwaitingPayment, 0m), (order.Status, order.PaidAmount));
        Assert.Equal(("payment.too_late", "t1"), (order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void A_transfer_at_the_end_of_the_monitoring_window_is_still_late()
    {
        var order = New();
        Assert.Equal(PaymentOutcome.Late, order.Pay("t1", 300m, Deadline + Rules.MonitoringWindow));
        Assert.Equal(OrderStatus.Delivered, order.Status);
    }

    [Fact]
    public void Paying_again_after_delivery_is_a_duplicate_owed_back()
    {
        var order = New();
        order.Pay("t1", 300.50m, InTime);
        order.ClearDomainEvents();

        Assert.Equal(PaymentOutcome.Duplicate, order.Pay("t2", 300m, InTime.AddMinutes(1)));

        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(300.50m, order.PaidAmount);
        Assert.Equal(300.50m, order.SurplusAmount);
        Assert.Equal((OrderStatus.Delivered, OrderStatus.Delivered, "payment.duplicate", "t2"),
            (order.LastEntry().From, order.LastEntry().To, order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.Empty(order.DomainEvents);
        Assert.Equal(2, order.Version);
    }

    [Fact]
    public void A_late_duplicate_is_still_a_duplicate_but_a_too_late_one_is_too_late()
    {
        var order = New();
        order.Pay("t1", 300m, InTime);

        Assert.Equal(PaymentOutcome.Duplicate, order.Pay("t2", 10m, Deadline.AddHours(1)));
        Assert.Equal(PaymentOutcome.TooLate, order.Pay("t3", 20m, Deadline.AddDays(2)));
        Assert.Equal(10m, order.SurplusAmount);
    }

    [Fact]
    public void A_transfer_for_a_cancelled_order_counts_toward_a_refund_and_releases_nothing()
    {
        var order = New();
        order.Cancel(Placed.AddMinutes(5));
        order.ClearDomainEvents();
        var now = Placed.AddMinutes(20);

        Assert.Equal(PaymentOutcome.OrderCancelled, order.Pay("t1", 300m, Placed.AddMinutes(4), now: now));

        Assert.Equal(OrderStatus.RefundDue, order.Status);
        Assert.Equal(300m, order.PaidAmount);
        Assert.Equal(new OrderRefundDue(order.Id, ReleasesStock: false, now), Assert.Single(order.DomainEvents));
        Assert.Equal((OrderStatus.Cancelled, "payment.after_cancel", "t1"), (order.LastEntry().From, order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.Null(order.DeliveredAt);
    }

    [Fact]
    public void A_second_transfer_for_a_cancelled_order_already_paid_is_a_duplicate()
    {
        var order = New();
        order.Cancel(Placed.AddMinutes(5));
        order.Pay("t1", 300m, Placed.AddMinutes(6));

        Assert.Equal(PaymentOutcome.Duplicate, order.Pay("t2", 300m, Placed.AddMinutes(7)));
        Assert.Equal((OrderStatus.RefundDue, 300m), (order.Status, order.SurplusAmount));
    }

    [Fact]
    public void Every_recorded_transfer_bumps_the_version_and_adds_one_history_line_with_its_rule_and_transaction()
    {
        var order = New();
        var steps = new (string Id, decimal Amount, DateTimeOffset At, string? Currency, string Rule)[]
        {
            ("w", 300m, InTime, "EUR", "payment.wrong_currency"),
            ("b", 300m, Placed.AddHours(-1), "RUB", "payment.before_order"),
            ("p", 100m, InTime, "RUB", "payment.partial"),
            ("z", 300m, Deadline.AddDays(3), "RUB", "payment.too_late"),
            ("s", 200m, InTime, "RUB", "payment.split_completed"),
            ("d", 5m, InTime, "RUB", "payment.duplicate"),
        };

        for (var i = 0; i < steps.Length; i++)
        {
            order.Pay(steps[i].Id, steps[i].Amount, steps[i].At, steps[i].Currency);
            Assert.Equal(i + 1, order.Version);
            Assert.Equal(i + 2, order.History.Count);
        }

        Assert.Equal(steps.Select(s => s.Rule), order.History.Skip(1).Select(h => h.Rule));
        Assert.Equal(steps.Select(s => s.Id), order.History.Skip(1).Select(h => h.TransactionId));
        Assert.All(order.History, h => Assert.Equal(order.Id, h.OrderId));
        Assert.Equal(order.History.Count, order.History.Select(h => h.Id).Distinct().Count());
    }

    [Fact]
    public void A_seller_attachment_counts_whatever_its_date_but_not_in_another_currency()
    {
        var early = New();
        Assert.Equal(PaymentOutcome.Accepted, early.Pay("t1", 300m, Placed.AddDays(-3), source: PaymentSource.SellerAttached));
        Assert.Equal(OrderStatus.Delivered, early.Status);

        var veryLate = New();
        Assert.Equal(PaymentOutcome.Accepted, veryLate.Pay("t1", 300m, Deadline.AddDays(3), source: PaymentSource.SellerAttached));
        Assert.Equal(OrderStatus.Delivered, veryLate.Status);
        Assert.False(veryLate.PaidLate);

        var partial = New();
        Assert.Equal(PaymentOutcome.Partial, partial.Pay("t1", 100m, Deadline.AddDays(3), source: PaymentSource.SellerAttached));
        Assert.Equal(OrderStatus.PartiallyPaid, partial.Status);

        var dollars = New();
        Assert.Equal(PaymentOutcome.WrongCurrency, dollars.Pay("t1", 300m, InTime, "USD", PaymentSource.SellerAttached));
        Assert.Equal((OrderStatus.AwaitingPayment, 0m), (dollars.Status, dollars.PaidAmount));
    }

    [Fact]
    public void The_payment_record_keeps_how_it_was_decided()
    {
        var order = New();
        var transfer = Transfer("t1", 300m, Deadline.AddDays(2));
        var payment = Record(transfer);

        order.RecordPayment(payment, transfer, PaymentSource.BuyerClaim, Rules, Deadline.AddDays(2));

        Assert.Equal((order.Id, PaymentOutcome.TooLate, PaymentSource.BuyerClaim), (payment.OrderId, payment.Outcome, payment.Source));
        Assert.True(payment.WaitsForSeller);
        Assert.True(payment.CanBeAttached);
    }

    [Fact]
    public void A_transfer_counted_toward_one_order_cannot_be_decided_for_another()
    {
        var first = New();
        var second = New();
        var transfer = Transfer("t1", 300m, InTime);
        var payment = Record(transfer);
        first.RecordPayment(payment, transfer, PaymentSource.Comment, Rules, InTime);

        var error = Assert.Throws<DomainException>(() => second.RecordPayment(payment, transfer, PaymentSource.SellerAttached, Rules, InTime));

        Assert.Equal("payment.already_counted", error.Code);
        Assert.Equal(first.Id, payment.OrderId);
    }
}
