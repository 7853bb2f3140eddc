using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;

namespace Marketplace.Domain.Tests;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Placed = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static Order NewOrder() => new(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), new PaymentDestination(Guid.NewGuid(), "qiwi", "+79001234567", Sandbox: true),
        3, new Money(33.33m, "RUB"), "ABCDEFGHJK", Placed, TimeSpan.FromMinutes(30));

    [Fact]
    public void The_total_is_exact() => Assert.Equal(99.99m, NewOrder().TotalAmount);

    [Fact]
    public void Every_transition_is_recorded_and_bumps_the_version()
    {
        var order = NewOrder();
        order.MarkDelivered(Guid.NewGuid(), Placed.AddMinutes(1), Placed.AddMinutes(2));

        Assert.Equal(OrderStatus.Delivered, order.Status);
        Assert.Equal(1, order.Version);
        Assert.Equal([null, OrderStatus.AwaitingPayment], order.History.Select(h => h.From));
        Assert.Equal([OrderStatus.AwaitingPayment, OrderStatus.Delivered], order.History.Select(h => h.To));
    }

    [Fact]
    public void A_delivered_order_cannot_expire_and_an_expired_one_cannot_be_delivered()
    {
        var delivered = NewOrder();
        delivered.MarkDelivered(Guid.NewGuid(), Placed, Placed);
        Assert.Throws<DomainException>(() => delivered.Expire(Placed.AddHours(1)));

        var expired = NewOrder();
        expired.Expire(Placed.AddHours(1));
        Assert.Throws<DomainException>(() => expired.MarkDelivered(Guid.NewGuid(), Placed, Placed.AddHours(1)));
    }

    [Fact]
    public void An_order_cannot_expire_before_its_deadline() =>
        Assert.Throws<DomainException>(() => NewOrder().Expire(Placed.AddMinutes(29)));

    [Fact]
    public void A_buyer_cannot_be_the_seller()
    {
        var id = Guid.NewGuid();
        Assert.Throws<DomainException>(() => new Order(Guid.NewGuid(), id, id, Guid.NewGuid(),
            new PaymentDestination(Guid.NewGuid(), "qiwi", "+79001234567", Sandbox: true), 1, new Money(1m, "RUB"), "X", Placed, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Cancelling_an_unpaid_order_is_recorded_with_its_time_and_bumps_the_version()
    {
        var order = NewOrder();
        var at = Placed.AddMinutes(3);

        order.Cancel(at);

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(at, order.CancelledAt);
        Assert.Equal(1, order.Version);
        var change = order.History[^1];
        Assert.Equal(OrderStatus.AwaitingPayment, change.From);
        Assert.Equal(OrderStatus.Cancelled, change.To);
        Assert.Equal(at, change.At);
    }

    [Fact]
    public void An_order_can_be_cancelled_before_and_after_its_deadline_while_unpaid()
    {
        var late = NewOrder();
        late.Cancel(Placed.AddHours(2)); // past the deadline but not yet expired by the watcher
        Assert.Equal(OrderStatus.Cancelled, late.Status);
    }

    [Fact]
    public void Delivered_and_expired_orders_cannot_be_cancelled()
    {
        var delivered = NewOrder();
        delivered.MarkDelivered(Guid.NewGuid(), Placed, Placed);
        Assert.Equal("order.invalid_transition", Assert.Throws<DomainException>(() => delivered.Cancel(Placed.AddMinutes(1))).Code);

        var expired = NewOrder();
        expired.Expire(Placed.AddHours(1));
        Assert.Throws<DomainException>(() => expired.Cancel(Placed.AddHours(1)));
        Assert.Null(expired.CancelledAt);
    }

    [Fact]
    public void A_cancelled_order_can_be_neither_delivered_nor_expired_nor_cancelled_again()
    {
        var order = NewOrder();
        order.Cancel(Placed.AddMinutes(1));

        Assert.Throws<DomainException>(() => order.MarkDelivered(Guid.NewGuid(), Placed, Placed.AddMinutes(2)));
        Assert.Throws<DomainException>(() => order.Expire(Placed.AddHours(1)));
        Assert.Throws<DomainException>(() => order.Cancel(Placed.AddMinutes(2)));
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal(1, order.Version);
        Assert.Equal(2, order.History.Count);
    }
}
