using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Orders.Events;
using Marketplace.Domain.Payments;
using static Marketplace.Domain.Tests.TestOrders;

namespace Marketplace.Domain.Tests;

/// <summary>Placing, cancelling, expiring and giving up on an order; payments are in OrderPaymentTests.</summary>
public sealed class OrderTests
{
    [Fact]
    public void A_new_order_awaits_payment_with_an_exact_total_and_one_history_line()
    {
        var order = JustPlaced(33.33m, 3);

        Assert.Equal(99.99m, order.TotalAmount);
        Assert.Equal(99.99m, order.AmountDue);
        Assert.Equal(Placed + Window, order.ExpiresAt);
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Equal(0, order.Version);
        var placed = Assert.Single(order.History);
        Assert.Null(placed.From);
        Assert.Equal(OrderStatus.AwaitingPayment, placed.To);
        Assert.Equal(new OrderPlaced(order.Id, Placed), Assert.Single(order.DomainEvents));
    }

    [Fact]
    public void A_buyer_cannot_be_the_seller()
    {
        var id = Guid.NewGuid();
        var error = Assert.Throws<DomainException>(() => new Order(Guid.NewGuid(), id, id, Guid.NewGuid(),
            new PaymentDestination(Guid.NewGuid(), "qiwi", "+79001234567", Sandbox: true), 1, new Money(1m, "RUB"), Code, Placed, Window));
        Assert.Equal("order.own_listing", error.Code);
    }

    [Fact]
    public void The_quantity_must_be_positive() =>
        Assert.Equal("order.quantity", Assert.Throws<DomainException>(() => New(quantity: 0)).Code);

    [Fact]
    public void Cancelling_an_unpaid_order_returns_its_items_and_is_recorded()
    {
        var order = New();
        var at = Placed.AddMinutes(3);

        order.Cancel(at);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(at, order.CancelledAt);
        Assert.Equal(1, order.Version);
        Assert.Equal(new OrderCancelled(order.Id, at), order.Single<OrderCancelled>());
        var change = order.LastEntry();
        Assert.Equal((OrderStatus.AwaitingPayment, OrderStatus.Cancelled, at, "order.cancelled"), (change.From, change.To, change.At, change.Rule));
    }

    [Fact]
    public void Only_an_order_awaiting_payment_can_be_cancelled()
    {
        var partlyPaid = New();
        partlyPaid.Pay("t1", 100m, Placed.AddMinutes(1));
        Assert.Equal("order.invalid_transition", Assert.Throws<DomainException>(() => partlyPaid.Cancel(Placed.AddMinutes(2))).Code);

        var processing = New();
        processing.Pending("t1", 300m, Placed.AddMinutes(1));
        Assert.Throws<DomainException>(() => processing.Cancel(Placed.AddMinutes(2)));

        var delivered = New();
        delivered.Pay("t1", 300m, Placed.AddMinutes(1));
        Assert.Throws<DomainException>(() => delivered.Cancel(Placed.AddMinutes(2)));

        var cancelled = New();
        cancelled.Cancel(Placed.AddMinutes(1));
        Assert.Throws<DomainException>(() => cancelled.Cancel(Placed.AddMinutes(2)));
        Assert.Equal(1, cancelled.Version);
    }

    [Fact]
    public void An_unpaid_order_can_be_cancelled_after_its_deadline_until_it_expires()
    {
        var order = New();
        order.Cancel(Deadline.AddHours(2));
        Assert.Equal(OrderStatus.Cancelled, order.Status);
    }

    [Fact]
    public void An_unpaid_order_expires_at_its_deadline_and_returns_its_items()
    {
        var order = New();

        order.Expire(Deadline);

        Assert.Equal(OrderStatus.Expired, order.Status);
        Assert.Equal(Deadline, order.ExpiredAt);
        Assert.Equal(new OrderExpired(order.Id, Deadline), order.Single<OrderExpired>());
        Assert.Equal("order.deadline", order.LastEntry().Rule);
        Assert.Empty(order.DomainEvents.OfType<OrderRefundDue>());
    }

    [Fact]
    public void A_partly_paid_order_that_expires_owes_a_refund_and_returns_its_items()
    {
        var order = New();
        order.Pay("t1", 100m, Placed.AddMinutes(1));
        order.ClearDomainEvents();
        var at = Deadline.AddMinutes(3);

        order.Expire(at);

        Assert.Equal(OrderStatus.RefundDue, order.Status);
        Assert.Equal(at, order.ExpiredAt);
        Assert.Equal(new OrderRefundDue(order.Id, ReleasesStock: true, at), order.Single<OrderRefundDue>());
        Assert.Empty(order.DomainEvents.OfType<OrderExpired>());
        Assert.Equal((OrderStatus.PartiallyPaid, OrderStatus.RefundDue, "order.deadline_partial"), (order.LastEntry().From, order.LastEntry().To, order.LastEntry().Rule));
        Assert.Equal(100m, order.PaidAmount);
    }

    [Fact]
    public void An_order_cannot_expire_before_its_deadline()
    {
        var order = New();
        Assert.Equal("order.not_due", Assert.Throws<DomainException>(() => order.Expire(Deadline.AddTicks(-1))).Code);
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Null(order.ExpiredAt);
        Assert.Equal(0, order.Version);
    }

    [Fact]
    public void Only_an_unpaid_or_partly_paid_order_can_expire()
    {
        var processing = New();
        processing.Pending("t1", 300m, Placed.AddMinutes(1));
        Assert.Equal("order.invalid_transition", Assert.Throws<DomainException>(() => processing.Expire(Deadline.AddHours(1))).Code);

        var delivered = New();
        delivered.Pay("t1", 300m, Placed.AddMinutes(1));
        Assert.Throws<DomainException>(() => delivered.Expire(Deadline.AddHours(1)));

        var cancelled = New();
        cancelled.Cancel(Placed.AddMinutes(1));
        Assert.Throws<DomainException>(() => cancelled.Expire(Deadline.AddHours(1)));

        var expired = New();
        expired.Expire(Deadline);
        Assert.Throws<DomainException>(() => expired.Expire(Deadline.AddHours(1)));
        Assert.Equal(Deadline, expired.ExpiredAt);
    }

    [Fact]
    public void A_partly_paid_order_whose_wallet_stays_unreadable_owes_the_known_money_back()
    {
        var order = New();
        order.Pay("t1", 100m, Placed.AddMinutes(1));
        var at = Deadline.AddHours(6);

        order.MarkUnverifiable(at, "wallet unreadable for 6 hours.");

        Assert.Equal(OrderStatus.RefundDue, order.Status);
        Assert.Equal(new OrderRefundDue(order.Id, true, at), order.Single<OrderRefundDue>());
        Assert.Equal("wallet.unreadable_partial", order.LastEntry().Rule);
        Assert.Empty(order.DomainEvents.OfType<OrderBecameUnverifiable>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_order_holding_items_becomes_unverifiable_and_returns_them(bool processing)
    {
        var order = New();
        if (processing) order.Pending("t2", 300m, Placed.AddMinutes(2));
        var at = Deadline.AddHours(6);

        order.MarkUnverifiable(at, "wallet unreadable for 6 hours");

        Assert.Equal(OrderStatus.Unverifiable, order.Status);
        Assert.Null(order.PendingTransactionId);
        Assert.Equal(new OrderBecameUnverifiable(order.Id, at), order.Single<OrderBecameUnverifiable>());
        Assert.Equal(("wallet.unreadable", "wallet unreadable for 6 hours"), (order.LastEntry().Rule, order.LastEntry().Reason));
    }

    [Fact]
    public void An_order_not_holding_items_cannot_become_unverifiable()
    {
        var delivered = New();
        delivered.Pay("t1", 300m, Placed.AddMinutes(1));
        Assert.Throws<DomainException>(() => delivered.MarkUnverifiable(Deadline, "x"));

        var expired = New();
        expired.Expire(Deadline);
        Assert.Throws<DomainException>(() => expired.MarkUnverifiable(Deadline, "x"));
    }

    [Fact]
    public void History_reasons_are_cut_to_two_hundred_characters()
    {
        var order = New();
        order.MarkUnverifiable(Deadline, new string('r', 250));
        Assert.Equal(200, order.LastEntry().Reason.Length);
    }

    [Fact]
    public void Clearing_domain_events_empties_them()
    {
        var order = New();
        order.Cancel(Placed);
        Assert.NotEmpty(order.DomainEvents);
        order.ClearDomainEvents();
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void A_payment_record_for_another_transfer_is_refused()
    {
        var order = New();
        var payment = Record(Transfer("t1", 300m, Placed));
        Assert.Throws<ArgumentException>(() =>
            order.RecordPayment(payment, Transfer("t2", 300m, Placed), PaymentSource.Comment, Rules, Placed));
        Assert.Equal(0, order.Version);
    }
}
