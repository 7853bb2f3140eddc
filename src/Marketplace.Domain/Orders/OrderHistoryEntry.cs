namespace Marketplace.Domain.Orders;

/// <summary>
/// One line of an order's history: a transition, or a payment recorded against it without one
/// (a partial payment, a surplus). Append-only; shown to buyer and seller and kept as evidence.
/// </summary>
public sealed class OrderHistoryEntry
{
    private OrderHistoryEntry() { }

    public OrderHistoryEntry(
        Guid id, Guid orderId, OrderStatus? from, OrderStatus to, DateTimeOffset at, string reason,
        string? rule = null, string? transactionId = null)
    {
        Id = id;
        OrderId = orderId;
        From = from;
        To = to;
        At = at;
        Reason = reason.Length > 200 ? reason[..200] : reason;
        Rule = rule;
        TransactionId = transactionId;
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public OrderStatus? From { get; private set; }
    public OrderStatus To { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>What happened, in words a buyer understands.</summary>
    public string Reason { get; private set; } = "";
    /// <summary>The rule that decided it (a stable code documented in docs/payment-matching.md), if a rule did.</summary>
    public string? Rule { get; private set; }
    /// <summary>The rail's id of the transfer that caused it, if one did.</summary>
    public string? TransactionId { get; private set; }
}
