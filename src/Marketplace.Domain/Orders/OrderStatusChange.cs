namespace Marketplace.Domain.Orders;

/// <summary>An append-only record of one transition; kept as evidence for disputes.</summary>
public sealed class OrderStatusChange
{
    private OrderStatusChange() { }

    public OrderStatusChange(Guid id, Guid orderId, OrderStatus? from, OrderStatus to, DateTimeOffset at, string reason)
    {
        Id = id;
        OrderId = orderId;
        From = from;
        To = to;
        At = at;
        Reason = reason;
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public OrderStatus? From { get; private set; }
    public OrderStatus To { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Reason { get; private set; } = "";
}
