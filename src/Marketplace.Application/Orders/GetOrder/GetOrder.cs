using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Orders.GetOrder;

/// <summary>
/// One order, for its buyer or seller only (anyone else gets 404, as if it did not exist): its state,
/// payments, history and how many items it holds. The items are revealed by <see cref="Items.RevealOrderItemsCommand"/>.
/// </summary>
public sealed record GetOrderQuery(Guid Id) : IQuery<OrderDto>;

public sealed class GetOrderHandler(
    IApplicationDbContext db, ICurrentUser currentUser, OrderMapper mapper)
    : IQueryHandler<GetOrderQuery, OrderDto>
{
    public async ValueTask<OrderDto> Handle(GetOrderQuery query, CancellationToken cancellationToken)
    {
        var callerId = currentUser.RequireAccountId();
        var order = await db.Orders.AsNoTracking()
                        .FirstOrDefaultAsync(o => o.Id == query.Id && (o.BuyerId == callerId || o.SellerId == callerId), cancellationToken)
                    ?? throw new NotFoundException("Order", query.Id);

        // How many items the order holds; the items themselves only through GET /orders/{id}/items (each reveal is evidence).
        var itemCount = await db.ListingItems.CountAsync(i => i.OrderId == order.Id && i.Status == ListingItemStatus.Sold, cancellationToken);

        // Why the order is where it is: every transfer recorded against it, and its history.
        var payments = await db.IncomingPayments.AsNoTracking()
            .Where(p => p.OrderId == order.Id)
            .OrderBy(p => p.OccurredAt)
            .Select(p => new { p.ProviderTransactionId, p.Amount, p.Currency, p.OccurredAt, p.Outcome, p.Source, p.RecordedAt })
            .ToListAsync(cancellationToken);
        var history = await db.OrderHistory.AsNoTracking()
            .Where(h => h.OrderId == order.Id)
            .OrderBy(h => h.At)
            .Select(h => new OrderHistoryDto(h.At, h.From, h.To, h.Reason, h.Rule, h.TransactionId))
            .ToListAsync(cancellationToken);
        return mapper.ToDto(order, callerId, itemCount,
            payments.Select(p => new OrderPaymentDto(p.ProviderTransactionId, MoneyDto.Of(p.Amount, p.Currency), p.OccurredAt, p.Outcome, p.Source, p.RecordedAt)).ToList(),
            history);
    }
}
