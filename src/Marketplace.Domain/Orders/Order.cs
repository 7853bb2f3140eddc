using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders;

/// <summary>
/// An order is a small state machine: AwaitingPayment -> Delivered | Expired | Cancelled. Transitions
/// are guarded here and every one is appended to <see cref="History"/>; <see cref="Version"/> is an
/// optimistic concurrency token, so the matcher, the expiry job and the buyer's cancellation can
/// never both win.
/// </summary>
public sealed class Order
{
    private readonly List<OrderStatusChange> _history = [];

    private Order() { }

    public Order(
        Guid id, Guid buyerId, Guid sellerId, Guid listingId, PaymentDestination destination, int quantity,
        Money unitPrice, string paymentComment, DateTimeOffset createdAt, TimeSpan paymentWindow)
    {
        if (quantity <= 0) throw new DomainException("order.quantity", "Quantity must be positive.");
        if (buyerId == sellerId) throw new DomainException("order.own_listing", "You cannot buy your own listing.");
        Id = id;
        BuyerId = buyerId;
        SellerId = sellerId;
        ListingId = listingId;
        WalletId = destination.WalletId;
        PaymentProvider = destination.Provider;
        PaymentAccount = destination.Account;
        Sandbox = destination.Sandbox;
        Quantity = quantity;
        UnitPrice = unitPrice.Amount;
        var total = unitPrice.Times(quantity);
        TotalAmount = total.Amount;
        Currency = total.Currency;
        PaymentComment = paymentComment;
        CreatedAt = createdAt;
        ExpiresAt = createdAt + paymentWindow;
        Status = OrderStatus.AwaitingPayment;
        _history.Add(new OrderStatusChange(Guid.NewGuid(), id, null, Status, createdAt, "Order placed"));
    }

    public Guid Id { get; private set; }
    public Guid BuyerId { get; private set; }
    public Guid SellerId { get; private set; }
    public Guid ListingId { get; private set; }
    public Guid WalletId { get; private set; }
    /// <summary>Snapshot of where the buyer was told to pay, kept even if the wallet changes later.</summary>
    public string PaymentProvider { get; private set; } = "";
    public string PaymentAccount { get; private set; } = "";
    /// <summary>Paid through an emulated wallet (copied from the wallet): the buyer's money is not real.</summary>
    public bool Sandbox { get; private set; }
    public int Quantity { get; private set; }
    public decimal UnitPrice { get; private set; }
    public decimal TotalAmount { get; private set; }
    public string Currency { get; private set; } = "";
    /// <summary>Normalised (upper-case, no spaces) unique comment the buyer must put on the transfer.</summary>
    public string PaymentComment { get; private set; } = "";
    public OrderStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public DateTimeOffset? ExpiredAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public Guid? PaymentId { get; private set; }
    public int Version { get; private set; }

    public Money Total => new(TotalAmount, Currency);
    public IReadOnlyList<OrderStatusChange> History => _history;

    public void MarkDelivered(Guid paymentId, DateTimeOffset paidAt, DateTimeOffset now)
    {
        EnsureAwaitingPayment("deliver");
        PaymentId = paymentId;
        PaidAt = paidAt.ToUniversalTime();
        DeliveredAt = now;
        TransitionTo(OrderStatus.Delivered, now, "Payment matched; items released");
    }

    public void Expire(DateTimeOffset now)
    {
        EnsureAwaitingPayment("expire");
        if (now < ExpiresAt) throw new DomainException("order.not_due", "Order has not reached its payment deadline.");
        ExpiredAt = now;
        TransitionTo(OrderStatus.Expired, now, "No payment before the deadline; items returned to stock");
    }

    /// <summary>
    /// The buyer gives up an unpaid order; its items go back to stock. A transfer the buyer made
    /// before cancelling is still recorded by the matcher (as <c>OrderCancelled</c>), for a refund.
    /// </summary>
    public void Cancel(DateTimeOffset now)
    {
        EnsureAwaitingPayment("cancel");
        CancelledAt = now;
        TransitionTo(OrderStatus.Cancelled, now, "Cancelled by the buyer; items returned to stock");
    }

    private void EnsureAwaitingPayment(string action)
    {
        if (Status != OrderStatus.AwaitingPayment)
            throw new DomainException("order.invalid_transition", $"Cannot {action} an order that is {Status}.");
    }

    private void TransitionTo(OrderStatus next, DateTimeOffset at, string reason)
    {
        _history.Add(new OrderStatusChange(Guid.NewGuid(), Id, Status, next, at, reason));
        Status = next;
        Version++;
    }
}

/// <summary>The seller's wallet an order is paid into.</summary>
public sealed record PaymentDestination(Guid WalletId, string Provider, string Account, bool Sandbox);
