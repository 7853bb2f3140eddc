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
}
