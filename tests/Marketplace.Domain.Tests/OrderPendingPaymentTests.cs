using Marketplace.Domain.Orders;
using Marketplace.Domain.Orders.Events;
using Marketplace.Domain.Payments;
using static Marketplace.Domain.Tests.TestOrders;

namespace Marketplace.Domain.Tests;

/// <summary>Transfers the wallet shows as not final yet: they hold the order until they succeed or fail.</summary>
public sealed class OrderPendingPaymentTests
{
    private static readonly DateTimeOffset InTime = Placed.AddMinutes(10);

    [Fact]
    public void A_transfer_pending_too_long_is_abandoned_and_only_it_releases_the_hold()
    {
        var order = New();
        order.Pay("t0", 100m, InTime);
        order.Pending("t1", 200m, InTime);

        Assert.False(order.AbandonPendingPayment("other", Deadline.AddDays(2)));
        Assert.True(order.AbandonPendingPayment("t1", Deadline.AddDays(2)));

        Assert.Equal(OrderStatus.PartiallyPaid, order.Status);
        Assert.Null(order.PendingTransactionId);
        Assert.Equal(("payment.pending_abandoned", "t1"), (order.LastEntry().Rule, order.LastEntry().TransactionId));
        order.Expire(Deadline.AddDays(2)); // settles like any other partly paid order
        Assert.Equal(OrderStatus.RefundDue, order.Status);
    }

    [Fact]
    public void A_pending_transfer_holds_the_order_in_payment_processing()
    {
        var order = New();

        Assert.True(order.Pending("t1", 300m, InTime));

        Assert.Equal(OrderStatus.PaymentProcessing, order.Status);
        Assert.Equal("t1", order.PendingTransactionId);
        Assert.Equal(new OrderPaymentProcessing(order.Id, InTime.AddSeconds(30)), Assert.Single(order.DomainEvents));
        Assert.Equal((OrderStatus.AwaitingPayment, OrderStatus.PaymentProcessing, "payment.processing", "t1"),
            (order.LastEntry().From, order.LastEntry().To, order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.Equal(1, order.Version);
        Assert.Equal(0m, order.PaidAmount);
    }

    [Fact]
    public void The_same_pending_transfer_seen_again_changes_nothing()
    {
        var order = New();
        order.Pending("t1", 300m, InTime);

        Assert.False(order.Pending("t1", 300m, InTime));

        Assert.Equal(1, order.Version);
        Assert.Single(order.DomainEvents);
    }

    [Fact]
    public void A_failed_pending_transfer_puts_an_unpaid_order_back_to_awaiting_payment()
    {
        var order = New();
        order.Pending("t1", 300m, InTime);

        Assert.True(order.RecordFailedPayment("t1", InTime.AddMinutes(1)));

        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Null(order.PendingTransactionId);
        Assert.Equal(Deadline, order.ExpiresAt);
        Assert.Equal((OrderStatus.PaymentProcessing, OrderStatus.AwaitingPayment, "payment.failed", "t1"),
            (order.LastEntry().From, order.LastEntry().To, order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.Equal(2, order.Version);
    }

    [Fact]
    public void A_failed_pending_transfer_puts_a_partly_paid_order_back_to_partly_paid()
    {
        var order = New();
        order.Pay("t1", 100m, InTime);
        order.Pending("t2", 200m, InTime.AddMinutes(1));

        Assert.True(order.RecordFailedPayment("t2", InTime.AddMinutes(2)));

        Assert.Equal(OrderStatus.PartiallyPaid, order.Status);
        Assert.Equal(100m, order.PaidAmount);
    }

    [Fact]
    public void A_failure_of_another_transfer_or_outside_processing_is_ignored()
    {
        var order = New();
        Assert.False(order.RecordFailedPayment("t1", InTime));

        order.Pending("t1", 300m, InTime);
        Assert.False(order.RecordFailedPayment("t9", InTime));

        Assert.Equal((OrderStatus.PaymentProcessing, "t1", 1), (order.Status, order.PendingTransactionId, order.Version));
    }

    [Fact]
    public void The_pending_transfer_succeeding_delivers()
    {
        var order = New();
        order.Pending("t1", 300m, InTime);

        Assert.Equal(PaymentOutcome.Accepted, order.Pay("t1", 300m, InTime, now: Deadline.AddMinutes(5)));

        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Null(order.PendingTransactionId);
        Assert.False(order.PaidLate); // made in time, final only after the deadline
        Assert.Equal((OrderStatus.PaymentProcessing, "payment.exact"), (order.LastEntry().From, order.LastEntry().Rule));
        Assert.Single(order.DomainEvents.OfType<OrderPaid>());
    }

    [Fact]
    public void The_pending_transfer_succeeding_short_of_the_total_leaves_the_order_partly_paid()
    {
        var order = New();
        order.Pending("t1", 100m, InTime);

        Assert.Equal(PaymentOutcome.Partial, order.Pay("t1", 100m, InTime));

        Assert.Equal((OrderStatus.PartiallyPaid, (string?)null), (order.Status, order.PendingTransactionId));
        Assert.False(order.RecordFailedPayment("t1", InTime));
    }

    [Fact]
    public void A_failed_transfer_after_a_delivery_changes_nothing()
    {
        var order = New();
        order.Pending("t1", 300m, InTime);
        order.Pay("t2", 300m, InTime.AddMinutes(1));

        Assert.False(order.RecordFailedPayment("t1", InTime.AddMinutes(2)));
        Assert.Equal(OrderStatus.Delivered, order.Status);
    }

    [Theory]
    [InlineData("USD")]
    [InlineData(null)]
    public void A_pending_transfer_in_another_currency_is_ignored(string? currency)
    {
        var order = New();
        Assert.False(order.Pending("t1", 300m, InTime, currency));
        Assert.Equal((OrderStatus.AwaitingPayment, (string?)null, 0), (order.Status, order.PendingTransactionId, order.Version));
        Assert.Empty(order.DomainEvents);
    }

    [Fact]
    public void A_pending_transfer_outside_the_payment_window_is_ignored()
    {
        var order = New();
        Assert.False(order.Pending("t1", 300m, Placed - Rules.ClockSkew - TimeSpan.FromSeconds(1)));
        Assert.False(order.Pending("t2", 300m, Deadline.AddSeconds(1)));
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);

        Assert.True(order.Pending("t3", 300m, Placed - Rules.ClockSkew));
        Assert.True(New().Pending("t4", 300m, Deadline));
    }

    [Fact]
    public void A_pending_transfer_for_an_order_not_holding_items_is_ignored()
    {
        var delivered = New();
        delivered.Pay("t1", 300m, InTime);
        Assert.False(delivered.Pending("t2", 300m, InTime));

        var expired = New();
        expired.Expire(Deadline);
        Assert.False(expired.Pending("t1", 300m, InTime));

        var cancelled = New();
        cancelled.Cancel(Placed);
        Assert.False(cancelled.Pending("t1", 300m, InTime));
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
    }

    [Fact]
    public void A_partly_paid_order_can_be_held_by_a_pending_top_up()
    {
        var order = New();
        order.Pay("t1", 100m, InTime);

        Assert.True(order.Pending("t2", 200m, InTime.AddMinutes(1)));

        Assert.Equal((OrderStatus.PaymentProcessing, (OrderStatus?)OrderStatus.PartiallyPaid), (order.Status, order.LastEntry().From));
        Assert.Equal(PaymentOutcome.Accepted, order.Pay("t2", 200m, InTime.AddMinutes(1)));
        Assert.Equal(OrderStatus.Delivered, order.Status);
    }
}
