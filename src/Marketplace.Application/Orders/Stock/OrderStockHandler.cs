using Marketplace.Application.Common.Events;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Orders.Events;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Orders.Stock;

/// <summary>
/// Moves stock when an order changes state: sold when paid, back on sale when the order gives up its
/// items, reserved again when a payment arrives after they went back. The order decides; this obeys.
/// </summary>
public sealed class OrderStockHandler(IApplicationDbContext db, StockLedger stock, TimeProvider clock, ILogger<OrderStockHandler> logger)
    : IDomainEventHandler<OrderPaid>, IDomainEventHandler<OrderExpired>, IDomainEventHandler<OrderCancelled>,
        IDomainEventHandler<OrderBecameUnverifiable>, IDomainEventHandler<OrderRefundDue>, IDomainEventHandler<OrderNeedsStock>
{
    public async Task HandleAsync(OrderPaid domainEvent, CancellationToken cancellationToken) =>
        await stock.SellAsync(await OrderAsync(domainEvent.OrderId, cancellationToken), cancellationToken);

    public Task HandleAsync(OrderExpired domainEvent, CancellationToken cancellationToken) => ReleaseAsync(domainEvent.OrderId, cancellationToken);

    public Task HandleAsync(OrderCancelled domainEvent, CancellationToken cancellationToken) => ReleaseAsync(domainEvent.OrderId, cancellationToken);

    public Task HandleAsync(OrderBecameUnverifiable domainEvent, CancellationToken cancellationToken) => ReleaseAsync(domainEvent.OrderId, cancellationToken);

    public Task HandleAsync(OrderRefundDue domainEvent, CancellationToken cancellationToken) =>
        domainEvent.ReleasesStock ? ReleaseAsync(domainEvent.OrderId, cancellationToken) : Task.CompletedTask;

    public async Task HandleAsync(OrderNeedsStock domainEvent, CancellationToken cancellationToken)
    {
        var order = await OrderAsync(domainEvent.OrderId, cancellationToken);
        if (await stock.TryReserveAsync(order.ListingId, order.Id, order.Quantity, cancellationToken))
        {
            order.FulfilAfterRestock(clock.GetUtcNow()); // raises OrderPaid: the items just reserved are sold next
            return;
        }

        order.OweRefund(clock.GetUtcNow(), "The payment came after the items went back to stock and none are left: the seller owes a refund");
        logger.LogInformation("Order {OrderId} was paid after its items went back to stock and none are left: refund due", order.Id);
    }

    private async Task ReleaseAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var returned = await stock.ReleaseAsync(await OrderAsync(orderId, cancellationToken), cancellationToken);
        logger.LogInformation("Order {OrderId}: {Count} item(s) returned to stock", orderId, returned);
    }

    /// <summary>The order that raised the event is tracked by this context: found without a query.</summary>
    private async Task<Order> OrderAsync(Guid orderId, CancellationToken cancellationToken) =>
        await db.Orders.FindAsync([orderId], cancellationToken)
        ?? throw new InvalidOperationException($"Order {orderId} raised an event but is not loaded.");
}
