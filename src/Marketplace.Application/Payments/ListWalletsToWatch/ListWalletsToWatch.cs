using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Payments.ListWalletsToWatch;

/// <summary>Active wallets with at least one order awaiting payment: the only ones worth a history read.</summary>
public sealed record ListWalletsToWatchQuery : IQuery<IReadOnlyList<Guid>>;

public sealed class ListWalletsToWatchHandler(IApplicationDbContext db) : IQueryHandler<ListWalletsToWatchQuery, IReadOnlyList<Guid>>
{
    public async ValueTask<IReadOnlyList<Guid>> Handle(ListWalletsToWatchQuery query, CancellationToken cancellationToken) =>
        await db.Wallets.AsNoTracking()
            .Where(w => w.Status == WalletStatus.Active
                        && db.Orders.Any(o => o.WalletId == w.Id && o.Status == OrderStatus.AwaitingPayment))
            .Select(w => w.Id)
            .ToListAsync(cancellationToken);
}
