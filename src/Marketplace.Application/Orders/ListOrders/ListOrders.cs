using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Orders;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Orders.ListOrders;

/// <summary>The caller's orders, as buyer and as seller (or one role), newest first. Items are never listed here.</summary>
public sealed record ListOrdersQuery(string? Role = null, OrderStatus? Status = null, int Page = 1, int PageSize = 20)
    : IQuery<PagedResult<OrderDto>>;

public sealed class ListOrdersHandler(IApplicationDbContext db, ICurrentUser currentUser, OrderMapper mapper)
    : IQueryHandler<ListOrdersQuery, PagedResult<OrderDto>>
{
    public async ValueTask<PagedResult<OrderDto>> Handle(ListOrdersQuery query, CancellationToken cancellationToken)
    {
        var callerId = currentUser.RequireAccountId();
        var orders = query.Role switch
        {
            OrderRoles.Buyer => db.Orders.Where(o => o.BuyerId == callerId),
            OrderRoles.Seller => db.Orders.Where(o => o.SellerId == callerId),
            _ => db.Orders.Where(o => o.BuyerId == callerId || o.SellerId == callerId),
        };
        if (query.Status is { } status) orders = orders.Where(o => o.Status == status);

        var total = await orders.CountAsync(cancellationToken);
        var page = await orders.AsNoTracking()
            .OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<OrderDto>(page.Select(o => mapper.ToDto(o, callerId)).ToList(), query.Page, query.PageSize, total);
    }
}
