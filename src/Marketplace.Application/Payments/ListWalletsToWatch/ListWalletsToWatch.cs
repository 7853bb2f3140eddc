using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Payments.ListWalletsToWatch;

/// <summary>
/// Active wallets of this service's mode with at least one order awaiting payment: the only ones worth a
/// history read. A Live service never reads a sandbox wallet, whatever the database says.
/// </summary>
public sealed record ListWalletsToWatchQuery : IQuery<IReadOnlyList<Guid>>;

public sealed class ListWalletsToWatchHandler(IApplicationDbContext db, OperatingMode mode) : IQueryHandler<ListWalletsToWatchQuery, IReadOnlyList<Guid>>
{
    public async ValueTask<IReadOnlyList<Guid>> Handle(ListWalletsToWatchQuery query, CancellationToken cancellationToken) =>
        await db.Wallets.AsNoTracking()
            .Where(w => w.Status == WalletStatus.Active && w.Sandbox == mode.IsSandbox
                        && db.Orders.Any(o => o.WalletId == w.Id && o.Status == OrderStatus.AwaitingPayment))
            .Select(w => w.Id)
            .ToListAsync(cancellationToken);
}
