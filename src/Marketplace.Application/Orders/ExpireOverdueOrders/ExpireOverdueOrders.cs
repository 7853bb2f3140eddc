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
public sealed record ExpireOverdueOrdersCommand(int BatchSize = 500) : ICommand<int>;

public sealed class ExpireOverdueOrdersHandler(
    IApplicationDbContext db, TimeProvider clock, IOptions<MatcherOptions> options, ILogger<ExpireOverdueOrdersHandler> logger)
    : ICommandHandler<ExpireOverdueOrdersCommand, int>
{
    public async ValueTask<int> Handle(ExpireOverdueOrdersCommand command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var cutoff = now - settings.ExpiryGrace;
        var candidates = await (
                from order in db.Orders.AsNoTracking()
                join wallet in db.Wallets.AsNoTracking() on order.WalletId equals wallet.Id
                where order.ExpiresAt <= cutoff
                      && (order.Status == OrderStatus.AwaitingPayment || order.Status == OrderStatus.PartiallyPaid
                          || (order.Status == OrderStatus.PaymentProcessing && wallet.Status == WalletStatus.NeedsAttention))
                orderby order.ExpiresAt
                select new { order.Id, OrderStatus = order.Status, order.CreatedAt, order.ExpiresAt, WalletStatus = wallet.Status, wallet.AttentionSince, wallet.Cursor })
            .Take(command.BatchSize)
            .ToListAsync(cancellationToken);

        var settled = 0;
        foreach (var c in candidates)
        {
            if (c.WalletStatus == WalletStatus.NeedsAttention)
            {
                if (c.AttentionSince is { } since && since + settings.AttentionHoldLimit <= now
                    && await SettleAsync(c.Id, unverifiable: true, now, cancellationToken))
                    settled++;
                continue;
            }

            // A pending transfer holds its own order (PaymentProcessing) and no other.
            if (c.OrderStatus == OrderStatus.PaymentProcessing) continue;
            if (!c.Cursor.HasRead(c.CreatedAt - settings.ClockSkew, c.ExpiresAt + settings.ExpiryGrace)) continue;
            if (await SettleAsync(c.Id, unverifiable: false, now, cancellationToken)) settled++;
        }

        return settled;
    }

    private async Task<bool> SettleAsync(Guid orderId, bool unverifiable, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(orderId, cancellationToken);
        if (order is null || !order.Status.HoldsStock()) return false; // paid (or settled) meanwhile
        if (unverifiable)
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
