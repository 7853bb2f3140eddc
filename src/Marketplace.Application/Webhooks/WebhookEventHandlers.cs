using Marketplace.Application.Common.Events;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Disputes;
using Marketplace.Application.Orders;
using Marketplace.Application.Wallets;
using Marketplace.Domain.Disputes;
using Marketplace.Domain.Disputes.Events;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Orders.Events;
using Marketplace.Domain.Wallets;
using Marketplace.Domain.Wallets.Events;

namespace Marketplace.Application.Webhooks;

/// <summary>
/// Turns domain events into outgoing webhooks, inside the transaction that raised them. An order's
/// events go to its seller and its buyer, each with the order as the API shows that party (never the
/// goods, never a wallet token); a dispute's to both parties; a wallet's to its owner.
/// </summary>
public sealed class WebhookEventHandlers(IApplicationDbContext db, WebhookOutbox outbox, OrderMapper orders)
    : IDomainEventHandler<OrderPlaced>, IDomainEventHandler<OrderPaymentProcessing>, IDomainEventHandler<OrderPartiallyPaid>,
        IDomainEventHandler<OrderPaid>, IDomainEventHandler<OrderExpired>, IDomainEventHandler<OrderRefundDue>,
        IDomainEventHandler<OrderCancelled>, IDomainEventHandler<OrderBecameUnverifiable>,
        IDomainEventHandler<DisputeOpened>, IDomainEventHandler<DisputeUpdated>, IDomainEventHandler<DisputeResolved>,
        IDomainEventHandler<WalletNeedsAttention>
{
    public Task HandleAsync(OrderPlaced e, CancellationToken ct) => OrderAsync(WebhookEventTypes.OrderCreated, e.OrderId, e.OccurredAt, ct);

    public Task HandleAsync(OrderPaymentProcessing e, CancellationToken ct) =>
        OrderAsync(WebhookEventTypes.OrderPaymentProcessing, e.OrderId, e.OccurredAt, ct);

    public Task HandleAsync(OrderPartiallyPaid e, CancellationToken ct) => OrderAsync(WebhookEventTypes.OrderPartiallyPaid, e.OrderId, e.OccurredAt, ct);

    /// <summary>Every delivery is order.delivered; one paid after the deadline is order.paid_late as well.</summary>
    public async Task HandleAsync(OrderPaid e, CancellationToken ct)
    {
        await OrderAsync(WebhookEventTypes.OrderDelivered, e.OrderId, e.OccurredAt, ct);
        if (e.Late) await OrderAsync(WebhookEventTypes.OrderPaidLate, e.OrderId, e.OccurredAt, ct);
    }

    public Task HandleAsync(OrderExpired e, CancellationToken ct) => OrderAsync(WebhookEventTypes.OrderExpired, e.OrderId, e.OccurredAt, ct);

    public Task HandleAsync(OrderRefundDue e, CancellationToken ct) => OrderAsync(WebhookEventTypes.OrderRefundDue, e.OrderId, e.OccurredAt, ct);

    public Task HandleAsync(OrderCancelled e, CancellationToken ct) => OrderAsync(WebhookEventTypes.OrderCancelled, e.OrderId, e.OccurredAt, ct);

    public Task HandleAsync(OrderBecameUnverifiable e, CancellationToken ct) =>
        OrderAsync(WebhookEventTypes.OrderUnverifiable, e.OrderId, e.OccurredAt, ct);

    public Task HandleAsync(DisputeOpened e, CancellationToken ct) => DisputeAsync(WebhookEventTypes.DisputeOpened, e.DisputeId, e.OccurredAt, ct);

    public Task HandleAsync(DisputeUpdated e, CancellationToken ct) => DisputeAsync(WebhookEventTypes.DisputeUpdated, e.DisputeId, e.OccurredAt, ct);

    public Task HandleAsync(DisputeResolved e, CancellationToken ct) => DisputeAsync(WebhookEventTypes.DisputeResolved, e.DisputeId, e.OccurredAt, ct);

    public async Task HandleAsync(WalletNeedsAttention e, CancellationToken ct)
    {
        var wallet = await db.Wallets.FindAsync([e.WalletId], ct) ?? throw NotLoaded("Wallet", e.WalletId);
        await outbox.PublishAsync(WebhookEventTypes.WalletNeedsAttention, [new WebhookRecipient(wallet.OwnerId, WalletDto.From(wallet))], e.OccurredAt, ct);
    }

    private async Task OrderAsync(string type, Guid orderId, DateTimeOffset at, CancellationToken ct)
    {
        // The order that raised the event is tracked by this unit of work: found without a query.
        var order = await db.Orders.FindAsync([orderId], ct) ?? throw NotLoaded("Order", orderId);
        await outbox.PublishAsync(type,
        [
            new WebhookRecipient(order.SellerId, orders.ToDto(order, order.SellerId)),
            new WebhookRecipient(order.BuyerId, orders.ToDto(order, order.BuyerId)),
        ], at, ct);
    }

    private async Task DisputeAsync(string type, Guid disputeId, DateTimeOffset at, CancellationToken ct)
    {
        var dispute = await db.Disputes.FindAsync([disputeId], ct) ?? throw NotLoaded("Dispute", disputeId);
        await outbox.PublishAsync(type,
        [
            new WebhookRecipient(dispute.SellerId, DisputeDto.From(dispute, DisputeRoles.Seller)),
            new WebhookRecipient(dispute.BuyerId, DisputeDto.From(dispute, DisputeRoles.Buyer)),
        ], at, ct);
    }

    private static InvalidOperationException NotLoaded(string what, Guid id) => new($"{what} {id} raised an event but is not loaded.");
}
