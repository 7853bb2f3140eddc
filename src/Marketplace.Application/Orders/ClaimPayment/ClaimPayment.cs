using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Payments.Matching;
using Marketplace.Domain.Payments;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Orders.ClaimPayment;

/// <summary>
/// The buyer says "I paid, with a wrong comment": the transfer's id and the account it came from.
/// Only what the matcher read from the seller's wallet history counts as evidence, and the order's
/// rules then decide as for any payment. A transfer that is not there, came from another account, or
/// already belongs to another order is refused and logged. A claim never calls the wallet itself: a
/// buyer guessing transaction ids could otherwise spend the seller's request budget and stall matching;
/// a transfer not read yet only asks for a read of the wallet (bounded), and the buyer tries again.
/// </summary>
public sealed record ClaimPaymentCommand(Guid OrderId, string TransactionId, string PayerAccount) : ICommand<OrderDto>;

public sealed class ClaimPaymentValidator : AbstractValidator<ClaimPaymentCommand>
{
    public ClaimPaymentValidator()
    {
        RuleFor(c => c.TransactionId).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9_-]+$")
            .WithMessage("'Transaction Id' is the wallet's id of the transfer (letters, digits, '-' and '_').");
        RuleFor(c => c.PayerAccount).NotEmpty().MaximumLength(64);
    }
}

public sealed class ClaimPaymentHandler(
    IApplicationDbContext db, ICurrentUser currentUser, WalletReadRequests reads, OrderMapper mapper, TimeProvider clock,
    IOptions<MatcherOptions> options, ILogger<ClaimPaymentHandler> logger)
    : ICommandHandler<ClaimPaymentCommand, OrderDto>
{
    public async ValueTask<OrderDto> Handle(ClaimPaymentCommand command, CancellationToken cancellationToken)
    {
        var buyerId = currentUser.RequireAccountId();
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == command.OrderId && o.BuyerId == buyerId, cancellationToken)
                    ?? throw new NotFoundException("Order", command.OrderId);
        var transactionId = command.TransactionId.Trim();

        var payment = await RecordedAsync(order.WalletId, transactionId, cancellationToken);
        if (payment is null || !SameAccount(payment.SenderAccount, command.PayerAccount))
        {
            if (payment is null) reads.RequestAtMostEvery(order.WalletId, TimeSpan.FromMinutes(1), clock);
            logger.LogWarning("Refused claim of transfer {TransactionId} for order {OrderId} by {BuyerId}: no such incoming transfer from that account",
                transactionId, order.Id, buyerId);
            throw new UnprocessableException("payment.claim_not_found",
                "The seller's wallet shows no incoming transfer with this id from this account (yet: a transfer made in the last " +
                "minute may not have been read; try again shortly).", "transactionId");
        }

        if (payment.OrderId == order.Id && !payment.CanBeAttached) return await ReloadAsync(order.Id, buyerId, cancellationToken);
        if (!payment.CanBeAttached)
        {
            logger.LogWarning("Refused claim of transfer {TransactionId} for order {OrderId} by {BuyerId}: it belongs to order {OtherOrderId} ({Outcome})",
                transactionId, order.Id, buyerId, payment.OrderId, payment.Outcome);
            throw new ConflictException("payment.claim_refused", "This transfer is already decided for another order and cannot be claimed.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = await db.LockOrderAsync(order.Id, cancellationToken) ?? throw new NotFoundException("Order", order.Id);
        var tracked = await db.IncomingPayments.SingleAsync(p => p.Id == payment.Id, cancellationToken);
        if (!tracked.CanBeAttached)
            throw new ConflictException("payment.claim_refused", "This transfer was decided meanwhile; look at the order again.");
        var outcome = locked.RecordPayment(tracked, tracked.AsObserved(), PaymentSource.BuyerClaim, options.Value.Rules, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Transfer {TransactionId} claimed for order {OrderId}: {Outcome}", transactionId, order.Id, outcome);
        return await ReloadAsync(order.Id, buyerId, cancellationToken);
    }

    private Task<IncomingPayment?> RecordedAsync(Guid walletId, string transactionId, CancellationToken cancellationToken) =>
        db.IncomingPayments.AsNoTracking().FirstOrDefaultAsync(p => p.WalletId == walletId && p.ProviderTransactionId == transactionId, cancellationToken);

    /// <summary>Accounts compared by their digits and letters only ("+7 900 123-45-67" is "79001234567").</summary>
    private static bool SameAccount(string? recorded, string claimed)
    {
        if (recorded is null) return false;
        static string Key(string s) => string.Concat(s.Where(char.IsLetterOrDigit)).ToUpperInvariant();
        return Key(recorded) == Key(claimed) && Key(claimed).Length > 0;
    }

    private async Task<OrderDto> ReloadAsync(Guid orderId, Guid buyerId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId, cancellationToken);
        return mapper.ToDto(order, buyerId);
    }
}
