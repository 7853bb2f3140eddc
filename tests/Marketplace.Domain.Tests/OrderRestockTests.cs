using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Orders.Events;
using Marketplace.Domain.Payments;
using static Marketplace.Domain.Tests.TestOrders;

namespace Marketplace.Domain.Tests;

/// <summary>Payments that cover an order whose items already went back to stock: reserve again and deliver, or owe a refund.</summary>
public sealed class OrderRestockTests
{
    private static readonly DateTimeOffset InTime = Placed.AddMinutes(10);

    private static Order Expired()
    {
        var order = New();
        order.Expire(Deadline);
        order.ClearDomainEvents();
        return order;
    }

    private static Order Unverifiable()
    {
        var order = New();
        order.MarkUnverifiable(Deadline.AddHours(6), "wallet unreadable");
        order.ClearDomainEvents();
        return order;
    }

    public static TheoryData<string> GaveItemsBack => ["expired", "unverifiable"];

    private static Order GaveBack(string how) => how == "expired" ? Expired() : Unverifiable();

    [Theory]
    [MemberData(nameof(GaveItemsBack))]
    public void A_payment_covering_an_order_that_gave_its_items_back_asks_for_stock(string how)
    {
        var order = GaveBack(how);
        var before = order.Status;
        var now = Deadline.AddHours(7);

        Assert.Equal(PaymentOutcome.Accepted, order.Pay("t1", 300m, InTime, now: now));

        Assert.Equal(before, order.Status);
        Assert.Equal(300m, order.PaidAmount);
        Assert.Equal(InTime, order.PaidAt);
        Assert.NotNull(order.PaymentId);
        Assert.Equal(new OrderNeedsStock(order.Id, now), Assert.Single(order.DomainEvents));
        Assert.Equal((before, before, "payment.needs_stock", "t1"),
            (order.LastEntry().From, order.LastEntry().To, order.LastEntry().Rule, order.LastEntry().TransactionId));
        Assert.Null(order.DeliveredAt);
    }

    [Theory]
    [MemberData(nameof(GaveItemsBack))]
    public void Restocked_it_is_delivered(string how)
    {
        var order = GaveBack(how);
        order.Pay("t1", 300m, InTime);
        order.ClearDomainEvents();
        var now = Deadline.AddHours(8);

        order.FulfilAfterRestock(now);

        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(now, order.DeliveredAt);
        Assert.Equal(new OrderPaid(order.Id, Late: false, now), Assert.Single(order.DomainEvents));
        Assert.Equal(("payment.restocked", (string?)null), (order.LastEntry().Rule, order.LastEntry().TransactionId));
    }

    [Theory]
    [MemberData(nameof(GaveItemsBack))]
    public void Without_stock_a_refund_is_owed(string how)
    {
        var order = GaveBack(how);
        order.Pay("t1", 300m, InTime);
        order.ClearDomainEvents();
        var now = Deadline.AddHours(8);

        order.OweRefund(now, "sold out");

        Assert.Equal(OrderStatus.RefundDue, order.Status);
        Assert.Equal(new OrderRefundDue(order.Id, ReleasesStock: false, now), Assert.Single(order.DomainEvents));
        Assert.Equal(("payment.no_stock", "sold out"), (order.LastEntry().Rule, order.LastEntry().Reason));
    }

    [Fact]
    public void A_late_payment_for_an_expired_order_is_delivered_late_after_restock()
    {
        var order = Expired();

        Assert.Equal(PaymentOutcome.Late, order.Pay("t1", 300m, Deadline.AddHours(1)));
        Assert.True(order.PaidLate);
        order.FulfilAfterRestock(Deadline.AddHours(2));

        Assert.True(order.Single<OrderPaid>().Late);
    }

    [Fact]
    public void A_partial_payment_for_an_expired_order_owes_a_refund_without_releasing_anything()
    {
        var order = Expired();
        var now = Deadline.AddHours(1);

        Assert.Equal(PaymentOutcome.Partial, order.Pay("t1", 100m, InTime, now: now));

        Assert.Equal(OrderStatus.RefundDue, order.Status);
        Assert.Equal(new OrderRefundDue(order.Id, ReleasesStock: false, now), order.Single<OrderRefundDue>());
        Assert.Equal("payment.late_partial", order.LastEntry().Rule);
    }

    [Fact]
    public void A_top_up_of_an_order_that_owes_a_refund_adds_to_the_refund_and_never_sells_by_itself()
    {
        var order = New();
        order.Pay("t1", 100m, InTime);
        order.Expire(Deadline);
        order.ClearDomainEvents();
        var entries = order.History.Count;

        // The seller may already have paid the 100 back outside the service: 200 more is not a sale.
        Assert.Equal(PaymentOutcome.Late, order.Pay("t2", 200m, Deadline.AddMinutes(10)));

        Assert.Equal(OrderStatus.RefundDue, order.Status);
        Assert.Equal(300m, order.PaidAmount);
        Assert.Empty(order.DomainEvents);
        Assert.Equal(entries + 1, order.History.Count);
        Assert.Equal(("payment.refund_due_topped_up", OrderStatus.RefundDue), (order.LastEntry().Rule, order.LastEntry().To));
    }

    [Fact]
    public void Fulfilling_after_restock_needs_a_covered_order_that_gave_its_items_back()
    {
        var holding = New();
        Assert.Equal("order.invalid_transition", Assert.Throws<DomainException>(() => holding.FulfilAfterRestock(Deadline)).Code);

        var unpaid = Expired();
        Assert.Throws<DomainException>(() => unpaid.FulfilAfterRestock(Deadline));

        var delivered = New();
        delivered.Pay("t1", 300m, InTime);
        Assert.Throws<DomainException>(() => delivered.FulfilAfterRestock(Deadline));

        var partlyRefunded = Expired();
        partlyRefunded.Pay("t1", 100m, InTime);
        Assert.Throws<DomainException>(() => partlyRefunded.FulfilAfterRestock(Deadline));
        Assert.Equal(OrderStatus.RefundDue, partlyRefunded.Status);
    }

    [Fact]
    public void Owing_a_refund_is_refused_for_an_order_holding_items_and_idempotent_once_settled()
    {
        var holding = New();
        holding.Pay("t0", 100m, InTime);
        Assert.Equal("order.invalid_transition", Assert.Throws<DomainException>(() => holding.OweRefund(Deadline, "x")).Code);

        var nothingPaid = Expired();
        var before = nothingPaid.Version;
        nothingPaid.OweRefund(Deadline, "x"); // nothing to give back
        Assert.Equal((OrderStatus.Expired, before), (nothingPaid.Status, nothingPaid.Version));

        var delivered = New();
        delivered.Pay("t1", 300m, InTime);
        delivered.OweRefund(Deadline, "x");
        Assert.Equal((OrderStatus.Delivered, 1), (delivered.Status, delivered.Version));

        var refundDue = Expired();
        refundDue.Pay("t1", 100m, InTime);
        var version = refundDue.Version;
        refundDue.OweRefund(Deadline, "x");
        Assert.Equal((OrderStatus.RefundDue, version), (refundDue.Status, refundDue.Version));
    }
}
