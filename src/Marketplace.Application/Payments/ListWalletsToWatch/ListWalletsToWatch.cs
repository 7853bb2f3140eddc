using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Payments.ListWalletsToWatch;

/// <summary>
/// Active wallets worth a history read: those with an order awaiting payment, and those with an order
/// cancelled too recently for its history to have been read past it (<see cref="CancelledOrderWatch"/>).
/// Only wallets of this service's mode: a Live service never reads a sandbox wallet, whatever the database says.
/// </summary>
public sealed record ListWalletsToWatchQuery(TimeSpan? Grace = null) : IQuery<IReadOnlyList<Guid>>;

public sealed class ListWalletsToWatchHandler(IApplicationDbContext db, TimeProvider clock, OperatingMode mode)
    : IQueryHandler<ListWalletsToWatchQuery, IReadOnlyList<Guid>>
{
    public async ValueTask<IReadOnlyList<Guid>> Handle(ListWalletsToWatchQuery query, CancellationToken cancellationToken)
    {
        var awaiting = await db.Wallets.AsNoTracking()
            .Where(w => w.Status == WalletStatus.Active && w.Sandbox == mode.IsSandbox
                        && db.Orders.Any(o => o.WalletId == w.Id && o.Status == OrderStatus.AwaitingPayment))
            .Select(w => w.Id)
            .ToListAsync(cancellationToken);

        // The watch rule compares two columns with an offset, which SQLite cannot translate for
        // DateTimeOffset; the candidates (cancellations of the last 30 days) are filtered here.
        var now = clock.GetUtcNow();
        var grace = query.Grace ?? CancelledOrderWatch.DefaultGrace;
        var since = now - CancelledOrderWatch.MaxLookBack;
        var cancelled = await (
                from order in db.Orders.AsNoTracking()
                join wallet in db.Wallets.AsNoTracking() on order.WalletId equals wallet.Id
                where wallet.Status == WalletStatus.Active && wallet.Sandbox == mode.IsSandbox && order.Status == OrderStatus.Cancelled && order.CancelledAt >= since
                select new { wallet.Id, wallet.SyncedUpTo, order.CancelledAt })
            .ToListAsync(cancellationToken);
        var watchedForCancellations = cancelled
            .Where(c => c.CancelledAt >= CancelledOrderWatch.WatchedSince(c.SyncedUpTo, grace, now))
            .Select(c => c.Id);

        return awaiting.Concat(watchedForCancellations).Distinct().ToList();
    }
}
