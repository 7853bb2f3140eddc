using Marketplace.Application.Common.Events;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Telemetry;
using Marketplace.Domain.Orders.Events;

namespace Marketplace.Application.Orders;

/// <summary>
/// Records the payment-to-delivery latency when a paid order hands over its items: from the paying
/// transfer's time as the rail reports it (<c>PaidAt</c>) to the delivery. Events are dispatched before
/// the save, so a page the matcher records again after a conflict may count one delivery twice (rare).
/// </summary>
public sealed class OrderDeliveryMetrics(IApplicationDbContext db, MarketplaceMetrics metrics) : IDomainEventHandler<OrderPaid>
{
    public async Task HandleAsync(OrderPaid domainEvent, CancellationToken cancellationToken)
    {
        // The order that raised the event is tracked by this context: found without a query.
        var order = await db.Orders.FindAsync([domainEvent.OrderId], cancellationToken);
        if (order is { PaidAt: { } paidAt, DeliveredAt: { } deliveredAt }) metrics.OrderDelivered(paidAt, deliveredAt);
    }
}
