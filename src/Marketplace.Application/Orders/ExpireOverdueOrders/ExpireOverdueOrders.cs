using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Payments.Matching;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Orders.ExpireOverdueOrders;

/// <summary>
/// Settles orders past their deadline. An order expires (or, partly paid, becomes RefundDue) only once
/// its wallet's history has been read over the order's whole range, deadline plus grace (ADR 0004):
/// a payment made in time, even while this service was down, is matched first. Each order asks about
/// its own range, so a pending transfer or an unread gap holds only the orders it could concern.
/// Orders of a wallet whose token was refused are held, not expired, until the seller reconnects or
/// the hold limit passes; then they become Unverifiable and their items return to stock.
/// </summary>
/// <param name="WalletIds">
/// Only orders of these wallets (the ones this instance holds leases for, so N instances divide the work
/// as they divide the reading); null for all. Orders of wallets that need attention are nobody's lease:
/// any instance settles them, the order's row lock and status check keep that to once.
/// </param>
public sealed record ExpireOverdueOrdersCommand(int BatchSize = 500, IReadOnlyCollection<Guid>? WalletIds = null) : ICommand<int>;

public sealed class ExpireOverdueOrdersHandler(
    IApplicationDbContext db, TimeProvider clock, IOptions<MatcherOptions> options, ILogger<ExpireOverdueOrdersHandler> logger)
    : ICommandHandler<ExpireOverdueOrdersCommand, int>
{
    /// <summary>Batches one pass may work through: orders that cannot settle yet never hide the ones behind them.</summary>
    private const int MaxBatches = 20;

    public async ValueTask<int> Handle(ExpireOverdueOrdersCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var cutoff = now - settings.ExpiryGrace;
        var holdOver = now - settings.AttentionHoldLimit;
        var settled = 0;
        DateTimeOffset? after = null;
        for (var batch = 0; batch < MaxBatches; batch++)
        {
            var query =
                from order in db.Orders.AsNoTracking()
                join wallet in db.Wallets.AsNoTracking() on order.WalletId equals wallet.Id
                where order.ExpiresAt <= cutoff
                      && ((wallet.Status == WalletStatus.Active && OrderStatuses.HoldingStock.Contains(order.Status))
                          || (wallet.Status == WalletStatus.NeedsAttention && wallet.AttentionSince <= holdOver
                              && OrderStatuses.HoldingStock.Contains(order.Status)))
                select new
                {
                    order.Id, OrderStatus = order.Status, order.CreatedAt, order.ExpiresAt, order.PendingTransactionId,
                    order.WalletId, WalletStatus = wallet.Status, wallet.Cursor,
                };
            if (command.WalletIds is { } mine)
                query = query.Where(c => mine.Contains(c.WalletId) || c.WalletStatus == WalletStatus.NeedsAttention);
            // Keyset on the deadline (orders sharing the boundary's exact instant wait for the next pass).
            if (after is { } last) query = query.Where(c => c.ExpiresAt > last);
            var candidates = await query.OrderBy(c => c.ExpiresAt).Take(command.BatchSize).ToListAsync(cancellationToken);
            if (candidates.Count == 0) break;
            after = candidates[^1].ExpiresAt;

            foreach (var c in candidates)
            {
                Settlement? settlement = c.WalletStatus == WalletStatus.NeedsAttention ? Settlement.Unverifiable
                    : !c.Cursor.HasRead(c.CreatedAt - settings.ClockSkew, c.ExpiresAt + settings.ExpiryGrace) ? null
                    // A transfer in flight holds its own order, as long as the matcher still watches it.
                    : c.OrderStatus != OrderStatus.PaymentProcessing ? Settlement.Expire
                    : c.Cursor.Pending.Any(p => p.TransactionId == c.PendingTransactionId) ? null
                    : Settlement.ReleaseUnwatchedHoldThenExpire;
                if (settlement is null) continue;
                try
                {
                    if (await SettleAsync(c.Id, settlement.Value, now, cancellationToken)) settled++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One order that cannot settle must not stop the others.
                    db.ChangeTracker.Clear();
                    logger.LogError(ex, "Settling order {OrderId} after its deadline failed", c.Id);
                }
            }

            if (candidates.Count < command.BatchSize) break;
        }

        return settled;
    }

    private enum Settlement
    {
        Expire,
        Unverifiable,
        ReleaseUnwatchedHoldThenExpire,
    }

    private async Task<bool> SettleAsync(Guid orderId, Settlement settlement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(orderId, cancellationToken);
        if (order is null || !order.Status.HoldsStock()) return false; // paid (or settled) meanwhile
        if (settlement == Settlement.ReleaseUnwatchedHoldThenExpire && order.PendingTransactionId is { } unwatched)
            order.AbandonPendingPayment(unwatched, now);
        if (settlement == Settlement.Unverifiable)
        {
            order.MarkUnverifiable(now,
                "The seller's wallet could not be read to confirm a payment; items returned to stock. A payment found later still counts as late.");
        }
        else
        {
            if (order.Status == OrderStatus.PaymentProcessing) return false; // a pending transfer showed up meanwhile
            order.Expire(now);
        }

        await db.SaveChangesAsync(cancellationToken); // the stock handler returns the items
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        logger.LogInformation("Order {OrderId} settled after its deadline: {Status}", order.Id, order.Status);
        return true;
    }
}
