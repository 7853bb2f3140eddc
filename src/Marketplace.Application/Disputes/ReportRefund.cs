using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Mediator;
using Marketplace.Application.Payments.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Disputes;

/// <summary>
/// The seller reports a refund made from their wallet: the service looks the transaction up in that
/// wallet's own history and accepts it only when it is an outgoing, final transfer in the order's
/// currency, made after the order, to a wallet that paid this order (counted payments only), not used
/// for another refund, and not bringing what that wallet got back above what it paid. An order still
/// open for payment (partly paid) is not refunded until it settles. Partial refunds add up; a full
/// refund resolves an open dispute (and releases an order held by a decision for the buyer).
/// </summary>
public sealed record ReportRefundCommand(Guid DisputeId, string TransactionId) : ICommand<DisputeDto>;

public sealed class ReportRefundValidator : AbstractValidator<ReportRefundCommand>
{
    public ReportRefundValidator() => RuleFor(c => c.TransactionId).NotEmpty().MaximumLength(64).SingleLine();
}

public sealed class ReportRefundHandler(
    IApplicationDbContext db, DisputeAccess access, IRailRegistry rails, ISecretProtector protector, TimeProvider clock,
    IOptions<MatcherOptions> matching)
    : ICommandHandler<ReportRefundCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(ReportRefundCommand command, CancellationToken cancellationToken)
    {
        var (seen, _, role) = await access.LoadAsync(command.DisputeId, tracked: false, cancellationToken);
        DisputeAccess.Require(role, DisputeRoles.Seller, "report a refund");
        var transactionId = command.TransactionId.Trim();
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == seen.OrderId)
            .Select(o => new { o.Id, o.WalletId, o.Currency, o.CreatedAt }).SingleAsync(cancellationToken);
        var wallet = await db.Wallets.AsNoTracking().SingleAsync(w => w.Id == order.WalletId, cancellationToken);
        if (await db.Refunds.AnyAsync(r => r.WalletId == wallet.Id && r.TransactionId == transactionId, cancellationToken))
            throw new ConflictException("refund.already_used", "This transfer was already reported as a refund.");

        // The wallet's word, not the seller's: read before any lock (a network call), checked again under it.
        var lookup = PaymentMethodId.TryParse(wallet.Provider) is { } method ? rails.Find<IOutgoingTransferLookup>(method) : null;
        if (lookup is null)
            throw new UnprocessableException("refund.not_verifiable", "This wallet's payment method cannot show outgoing transfers.", "transactionId");
        var transfer = await lookup.FindOutgoingAsync(new WalletCredentials(wallet.Account, protector.Unprotect(wallet.EncryptedToken)),
                           transactionId, cancellationToken)
                       ?? throw new UnprocessableException("refund.not_found", "The wallet has no outgoing transfer with this id.", "transactionId");
        Check(transfer.Status == TransferStatus.Succeeded, "refund.not_final", "The transfer has not succeeded (yet).");
        Check(transfer.Currency == order.Currency, "refund.wrong_currency", $"The transfer is not in {order.Currency}, the order's currency.");
        // The same tolerance as for payments: wallets report whole seconds and clocks differ a little.
        Check(transfer.OccurredAt >= order.CreatedAt - matching.Value.ClockSkew, "refund.before_order", "The transfer was made before the order was placed.");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (locked, dispute, callerId, _) = await access.LockAsync(command.DisputeId, cancellationToken);
        // An order still open for payment is settled by its deadline first (RefundDue), or the buyer tops it up.
        if (locked.Status.HoldsStock())
            throw new ConflictException("refund.order_open",
                $"The order is {locked.Status} and can still be paid; refunds are recorded once it stops (at its deadline it becomes RefundDue).");
        await CheckRecipientAsync(locked.Id, transfer, cancellationToken);
        var now = clock.GetUtcNow();
        try
        {
            var full = locked.RecordRefund(transfer.TransactionId, transfer.Amount, now);
            dispute.Refunded(callerId, transfer.Amount, order.Currency, transfer.TransactionId, full, now);
            if (full && locked.OpenDisputeId == dispute.Id) locked.CloseDispute(dispute.Id, now, "everything paid was refunded", complete: true);
        }
        catch (DomainException ex) when (ex.Code is "refund.exceeds_paid" or "refund.amount")
        {
            throw new UnprocessableException(ex.Code, ex.Message, "transactionId");
        }
        catch (DomainException ex)
        {
            throw new ConflictException(ex.Code, ex.Message);
        }

        db.Refunds.Add(new Refund(Guid.NewGuid(), locked.Id, dispute.Id, wallet.Id, transfer, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            throw new ConflictException("refund.already_used", "This transfer was already reported as a refund.");
        }

        await transaction.CommitAsync(cancellationToken);
        return DisputeDto.From(dispute, DisputeRoles.Seller);
    }

    /// <summary>
    /// A refund goes back to whoever paid, at most what they paid: the payer accounts of the transfers
    /// that counted toward this order (not every transfer tied to it: a seller could tie their own).
    /// Under the order's lock, so refunds reported at once add up correctly.
    /// </summary>
    private async Task CheckRecipientAsync(Guid orderId, OutgoingTransfer transfer, CancellationToken cancellationToken)
    {
        var counted = await db.IncomingPayments.AsNoTracking()
            .Where(p => p.OrderId == orderId && p.SenderAccount != null)
            .Select(p => new { p.SenderAccount, p.Amount, p.Outcome }).ToListAsync(cancellationToken);
        var paidByRecipient = counted.Where(p => p.Outcome.Counts() && p.SenderAccount == transfer.RecipientAccount).Sum(p => p.Amount);
        Check(paidByRecipient > 0, "refund.wrong_recipient", "The transfer did not go to a wallet the buyer paid this order from.");
        var refundedToRecipient = await db.Refunds.Where(r => r.OrderId == orderId && r.RecipientAccount == transfer.RecipientAccount)
            .Select(r => r.Amount).ToListAsync(cancellationToken);
        if (refundedToRecipient.Sum() + transfer.Amount > paidByRecipient)
            throw new UnprocessableException("refund.exceeds_paid",
                $"Refunds to {transfer.RecipientAccount} would exceed the {paidByRecipient:0.00} paid from it.", "transactionId");
    }

    private static void Check(bool condition, string code, string message)
    {
        if (!condition) throw new UnprocessableException(code, message, "transactionId");
    }
}
