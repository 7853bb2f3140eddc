using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Payments.Matching;
using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Disputes;

/// <summary>
/// Accepts an outgoing transfer read from the seller's wallet as a refund for a dispute's order, or
/// refuses it: final, in the order's currency, after the order, to a wallet whose money counted toward
/// the order and at most what that wallet paid, the transfer not used before, the order no longer open
/// for payment. Used for refunds the seller reports and for those the service sends.
/// </summary>
public sealed class RefundRecorder(IApplicationDbContext db, DisputeAccess access, TimeProvider clock, IOptions<MatcherOptions> matching)
{
    /// <param name="alongside">Changes saved in the same transaction as the refund (a refund request marked done).</param>
    public async Task<DisputeDto> RecordAsync(Guid disputeId, Guid walletId, OutgoingTransfer transfer, Action<DateTimeOffset>? alongside,
        CancellationToken cancellationToken)
    {
        var order = await db.Disputes.Where(d => d.Id == disputeId)
            .Join(db.Orders, d => d.OrderId, o => o.Id, (d, o) => new { o.Currency, o.CreatedAt }).SingleAsync(cancellationToken);
        Check(transfer.Status == TransferStatus.Succeeded, "refund.not_final", "The transfer has not succeeded (yet).");
        Check(transfer.Currency == order.Currency, "refund.wrong_currency", $"The transfer is not in {order.Currency}, the order's currency.");
        // The same tolerance as for payments: wallets report whole seconds and clocks differ a little.
        Check(transfer.OccurredAt >= order.CreatedAt - matching.Value.ClockSkew, "refund.before_order", "The transfer was made before the order was placed.");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (locked, dispute, callerId, _) = await access.LockAsync(disputeId, cancellationToken);
        // An order still open for payment is settled by its deadline first (RefundDue), or the buyer tops it up.
        if (locked.Status.HoldsStock())
            throw new ConflictException("refund.order_open",
                $"The order is {locked.Status} and can still be paid; refunds are recorded once it stops (at its deadline it becomes RefundDue).");
        await CheckRecipientAsync(locked.Id, transfer, cancellationToken);
        var now = clock.GetUtcNow();
        try
        {
            var full = locked.RecordRefund(transfer.TransactionId, transfer.Amount, now);
            dispute.Refunded(callerId, transfer.Amount, locked.Currency, transfer.TransactionId, full, now);
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

        db.Refunds.Add(new Refund(Guid.NewGuid(), locked.Id, dispute.Id, walletId, transfer, now));
        alongside?.Invoke(now);
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
    /// How much more <paramref name="account"/> may get back for the order: what its counted transfers
    /// paid, less what was refunded to it. Not every transfer tied to the order counts: a seller could
    /// tie their own (a duplicate, an attached inbox transfer).
    /// </summary>
    public async Task<decimal> RefundableToAsync(Guid orderId, string account, CancellationToken cancellationToken)
    {
        var paid = await db.IncomingPayments.AsNoTracking()
            .Where(p => p.OrderId == orderId && p.SenderAccount == account)
            .Select(p => new { p.Amount, p.Outcome }).ToListAsync(cancellationToken);
        var refunded = await db.Refunds.Where(r => r.OrderId == orderId && r.RecipientAccount == account).Select(r => r.Amount).ToListAsync(cancellationToken);
        return paid.Where(p => p.Outcome.Counts()).Sum(p => p.Amount) - refunded.Sum();
    }

    /// <summary>The accounts whose transfers counted toward the order, largest payer first.</summary>
    public async Task<IReadOnlyList<string>> PayersAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var paid = await db.IncomingPayments.AsNoTracking().Where(p => p.OrderId == orderId && p.SenderAccount != null)
            .Select(p => new { p.SenderAccount, p.Amount, p.Outcome }).ToListAsync(cancellationToken);
        return paid.Where(p => p.Outcome.Counts()).GroupBy(p => p.SenderAccount!).OrderByDescending(g => g.Sum(p => p.Amount)).Select(g => g.Key).ToList();
    }

    private async Task CheckRecipientAsync(Guid orderId, OutgoingTransfer transfer, CancellationToken cancellationToken)
    {
        var payers = await PayersAsync(orderId, cancellationToken);
        Check(transfer.RecipientAccount is { } to && payers.Contains(to), "refund.wrong_recipient",
            "The transfer did not go to a wallet the buyer paid this order from.");
        if (transfer.Amount > await RefundableToAsync(orderId, transfer.RecipientAccount!, cancellationToken))
            throw new UnprocessableException("refund.exceeds_paid",
                $"Refunds to {transfer.RecipientAccount} would exceed what it paid for this order.", "transactionId");
    }

    private static void Check(bool condition, string code, string message)
    {
        if (!condition) throw new UnprocessableException(code, message, "transactionId");
    }
}
