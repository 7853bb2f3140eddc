using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Payments.Matching;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Orders;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Orders.CancelOrder;

/// <summary>
/// The buyer gives up an order that still awaits payment: it becomes Cancelled and its items are
/// back on sale at once. Only the buyer may cancel; anyone else, the seller included, gets 404
/// (the seller cannot cancel a buyer's order, and a 404 reveals nothing a 403 would not).
/// Cancellation, delivery and expiry all start by locking the order row while it awaits payment,
/// so exactly one of them wins; the losers see the winner's status (here: 409 order.not_cancellable).
/// Before cancelling, the seller's wallet is read once (best effort, a few seconds at most): a buyer
/// who already paid gets the goods and a 409, not a cancelled order and a refund to chase. A transfer
/// the wallet does not show yet is still recorded later by the matcher, as OrderCancelled.
/// </summary>
public sealed record CancelOrderCommand(Guid Id) : ICommand<OrderDto>;

public sealed class CancelOrderHandler(
    IApplicationDbContext db, ICurrentUser currentUser, OrderMapper mapper, TimeProvider clock, ISender sender,
    ILogger<CancelOrderHandler> logger)
    : ICommandHandler<CancelOrderCommand, OrderDto>
{
    public async ValueTask<OrderDto> Handle(CancelOrderCommand command, CancellationToken cancellationToken)
    {
        var buyerId = currentUser.RequireAccountId();
        // The buyer never changes, so checking it before taking the lock is safe.
        var walletId = await db.Orders.Where(o => o.Id == command.Id && o.BuyerId == buyerId).Select(o => (Guid?)o.WalletId)
                           .SingleOrDefaultAsync(cancellationToken)
                       ?? throw new NotFoundException("Order", command.Id);
        await MatchPaymentsFirstAsync(walletId, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(command.Id, cancellationToken) ?? throw new NotFoundException("Order", command.Id);
        // Partly paid or with a transfer in progress, the buyer's money is on its way: not cancellable.
        if (order.Status != OrderStatus.AwaitingPayment || order.PaidAmount > 0)
            throw new ConflictException("order.not_cancellable", $"Only an order awaiting payment can be cancelled; this one is {order.Status}.");

        order.Cancel(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken); // the stock handler returns the items
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Order {OrderId} cancelled by its buyer", order.Id);
        return mapper.ToDto(order, buyerId);
    }

    /// <summary>
    /// One matcher pass over the order's wallet, so a payment already made delivers the order (and the
    /// cancel below then answers 409). A wallet that cannot be read in time does not block the cancel.
    /// </summary>
    private async Task MatchPaymentsFirstAsync(Guid walletId, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(MatchDeadline);
        try
        {
            // One request (the newest page): enough for a payment just made; a cancel must not spend the wallet's budget.
            await sender.Send(new ReadWalletCommand(walletId, RequestBudget: 1), deadline.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is PaymentRailException or OperationCanceledException)
        {
            logger.LogInformation("Wallet {WalletId} could not be read before a cancellation ({Error}); cancelling anyway", walletId, ex.GetType().Name);
        }

        db.ChangeTracker.Clear(); // the cancel below reads the order afresh, as the pass left it
    }

    private static readonly TimeSpan MatchDeadline = TimeSpan.FromSeconds(5);
}
