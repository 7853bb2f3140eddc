using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Disputes;

/// <summary>
/// The seller asks the service to send a refund from their wallet (possible only when the wallet's
/// token may make payments). The request is stored with an idempotency key before anything is sent;
/// a retry, after a lost answer or a crash, sends the same payment again and the rail pays it once.
/// The transfer is then read back from the wallet's own history and recorded exactly as a reported
/// refund (<see cref="RefundRecorder"/>). It goes to the wallet that paid the most toward the order.
/// </summary>
public sealed record SendRefundCommand(Guid DisputeId, decimal Amount) : ICommand<DisputeDto>;

public sealed class SendRefundValidator : AbstractValidator<SendRefundCommand>
{
    public SendRefundValidator() =>
        RuleFor(c => c.Amount).GreaterThan(0).LessThanOrEqualTo(Money.MaxAmount)
            .Must(Money.HasAtMostTwoFractionDigits).WithMessage("'{PropertyName}' must have at most two fraction digits.");
}

public sealed class SendRefundHandler(
    IApplicationDbContext db, DisputeAccess access, IRailRegistry rails, ISecretProtector protector, RefundRecorder recorder, TimeProvider clock)
    : ICommandHandler<SendRefundCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(SendRefundCommand command, CancellationToken cancellationToken)
    {
        var (dispute, _, role) = await access.LoadAsync(command.DisputeId, tracked: false, cancellationToken);
        DisputeAccess.Require(role, DisputeRoles.Seller, "send a refund");
        if (!dispute.IsOpen && !dispute.OwedAfterDecision)
            throw new ConflictException("dispute.invalid_transition", $"The dispute is {dispute.Status}; there is no refund to send on it.");
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == dispute.OrderId)
            .Select(o => new { o.Id, o.WalletId, o.Currency, o.Status }).SingleAsync(cancellationToken);
        // Checked before any money moves: a refund the service could not record afterwards would be stuck.
        if (order.Status.HoldsStock())
            throw new ConflictException("refund.order_open",
                $"The order is {order.Status} and can still be paid; refunds are recorded once it stops (at its deadline it becomes RefundDue).");
        var wallet = await db.Wallets.AsNoTracking().SingleAsync(w => w.Id == order.WalletId, cancellationToken);
        var method = PaymentMethodId.TryParse(wallet.Provider);
        var sender = method is { } m ? rails.Find<IRefundSender>(m) : null;
        var lookup = method is { } n ? rails.Find<IOutgoingTransferLookup>(n) : null;
        if (sender is null || lookup is null)
            throw new UnprocessableException("refund.not_sendable", "This wallet's payment method cannot send refunds; refund by hand and report it.", "amount");

        var request = await PendingOrNewAsync(dispute.Id, order.Id, wallet.Id, order.Currency, command.Amount, sender, cancellationToken);
        var credentials = new WalletCredentials(wallet.Account, protector.Unprotect(wallet.EncryptedToken));
        string transactionId;
        try
        {
            transactionId = await sender.SendAsync(credentials, request.RecipientAccount, request.Amount, request.Currency, request.PaymentKey,
                $"Refund for order {order.Id:N}", cancellationToken);
        }
        catch (PaymentRailException ex) when (ex.Kind is PaymentRailErrorKind.MissingPermission or PaymentRailErrorKind.Rejected)
        {
            // Nothing was paid: the request is dropped, so the seller can refund by hand (or fix the token) and start again.
            await db.RefundRequests.Where(r => r.Id == request.Id).ExecuteDeleteAsync(cancellationToken);
            throw new UnprocessableException("refund.not_sent",
                $"The wallet refused the transfer ({ex.Message}). A token that may make payments is needed; or refund by hand and report it.", "amount");
        }

        var transfer = await lookup.FindOutgoingAsync(credentials, transactionId, cancellationToken)
                       ?? throw new ConflictException("refund.processing", "The transfer was sent but is not in the wallet's history yet; send the same request again shortly.");
        return await recorder.RecordAsync(dispute.Id, wallet.Id, transfer, now =>
        {
            var tracked = db.RefundRequests.Local.FirstOrDefault(r => r.Id == request.Id) ?? db.RefundRequests.Attach(request).Entity;
            tracked.Complete(transfer.TransactionId, now);
        }, cancellationToken);
    }

    /// <summary>The dispute's pending request (the same amount: a retry), or a new one saved before anything is sent.</summary>
    private async Task<RefundRequest> PendingOrNewAsync(Guid disputeId, Guid orderId, Guid walletId, string currency, decimal amount,
        IRefundSender sender, CancellationToken cancellationToken)
    {
        var pending = await db.RefundRequests.AsNoTracking().SingleOrDefaultAsync(r => r.DisputeId == disputeId && r.CompletedAt == null, cancellationToken);
        if (pending is not null)
        {
            return pending.Amount == amount
                ? pending
                : throw new ConflictException("refund.pending", $"A refund of {pending.Amount:0.00} {pending.Currency} is still being sent; send that request again first.");
        }

        var recipient = (await recorder.PayersAsync(orderId, cancellationToken)).FirstOrDefault()
                        ?? throw new ConflictException("refund.nothing_paid", "No transfer counted toward this order: there is nothing to refund.");
        if (amount > await recorder.RefundableToAsync(orderId, recipient, cancellationToken))
            throw new UnprocessableException("refund.exceeds_paid", $"{recipient} paid less than that for this order (refunds already made count).", "amount");

        var request = new RefundRequest(Guid.NewGuid(), disputeId, orderId, walletId, recipient, amount, currency, sender.NewPaymentKey(), clock.GetUtcNow());
        db.RefundRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            throw new ConflictException("refund.pending", "Another refund for this dispute is being sent at this moment.");
        }

        db.ChangeTracker.Clear();
        return request;
    }
}
