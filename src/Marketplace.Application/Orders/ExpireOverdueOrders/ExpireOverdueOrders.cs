using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Orders;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Orders.ExpireOverdueOrders;

/// <summary>
/// Expires unpaid orders past their deadline and returns their items to stock. An order expires
/// only once its wallet's history has been read past deadline + grace: a payment made in time,
/// even while this service was down, is always matched before the order can expire.
/// </summary>
public sealed record ExpireOverdueOrdersCommand(TimeSpan Grace, int BatchSize = 200) : ICommand<int>;

public sealed class ExpireOverdueOrdersHandler(
    IApplicationDbContext db, TimeProvider clock, ILogger<ExpireOverdueOrdersHandler> logger)
    : ICommandHandler<ExpireOverdueOrdersCommand, int>
{
    public async ValueTask<int> Handle(ExpireOverdueOrdersCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - command.Grace;
        var candidates = await (
                from order in db.Orders.AsNoTracking()
                join wallet in db.Wallets.AsNoTracking() on order.WalletId equals wallet.Id
                where order.Status == OrderStatus.AwaitingPayment && order.ExpiresAt <= cutoff
                orderby order.ExpiresAt
                select new { order.Id, order.ExpiresAt, wallet.SyncedUpTo })
            .Take(command.BatchSize)
            .ToListAsync(cancellationToken);

        var expired = 0;
        foreach (var candidate in candidates)
        {
            if (candidate.SyncedUpTo is not { } synced || synced < candidate.ExpiresAt + command.Grace) continue;
            if (await TryExpireAsync(candidate.Id, now, cancellationToken)) expired++;
        }

        return expired;
    }

    private async Task<bool> TryExpireAsync(Guid orderId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockAwaitingAsync(orderId, cancellationToken);
        if (order is null) return false; // paid meanwhile

        order.Expire(now);
        var returned = await db.ReturnReservedItemsAsync(order, cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        logger.LogInformation("Order {OrderId} expired; {Count} item(s) returned to stock", order.Id, returned);
        return true;
    }
}
