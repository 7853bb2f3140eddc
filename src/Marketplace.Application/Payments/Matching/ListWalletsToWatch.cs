using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Payments.Matching;

/// <summary>
/// Active wallets worth a read, with how far back reading matters: those with an order that holds
/// items, or whose deadline is recent enough for a late payment to still count (the monitoring
/// window; cancelled orders too, a transfer made anyway makes them RefundDue), and orders given up as
/// Unverifiable (a reconnected wallet may still show their payment). One query, grouped.
/// Only wallets of this service's mode: a Live service never reads a sandbox wallet, whatever the database says.
/// </summary>
public sealed record ListWalletsToWatchQuery : IQuery<IReadOnlyList<WatchedWallet>>;

/// <param name="WatchFrom">The oldest watched order's creation less the clock skew.</param>
public sealed record WatchedWallet(Guid WalletId, DateTimeOffset WatchFrom);

public sealed class ListWalletsToWatchHandler(IApplicationDbContext db, TimeProvider clock, OperatingMode mode, IOptions<MatcherOptions> options)
    : IQueryHandler<ListWalletsToWatchQuery, IReadOnlyList<WatchedWallet>>
{
    public async ValueTask<IReadOnlyList<WatchedWallet>> Handle(ListWalletsToWatchQuery query, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var since = now - settings.MonitoringWindow - settings.ExpiryGrace;
        var lookBack = now - settings.MaxLookBack;
        var rows = await (
                from order in db.Orders.AsNoTracking()
                join wallet in db.Wallets.AsNoTracking() on order.WalletId equals wallet.Id
                where wallet.Status == WalletStatus.Active && wallet.Sandbox == mode.IsSandbox
                      && (OrderStatuses.HoldingStock.Contains(order.Status)
                          || (order.Status == OrderStatus.Unverifiable && order.CreatedAt >= lookBack) || order.ExpiresAt >= since)
                group order by order.WalletId into byWallet
                select new { WalletId = byWallet.Key, Oldest = byWallet.Min(o => o.CreatedAt) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new WatchedWallet(r.WalletId, Max(r.Oldest - settings.ClockSkew, lookBack))).ToList();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
