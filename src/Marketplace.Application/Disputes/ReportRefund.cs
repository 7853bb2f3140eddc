using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Marketplace.Application.Payments.Rails;
using Mediator;
using Microsoft.EntityFrameworkCore;

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
    IApplicationDbContext db, DisputeAccess access, IRailRegistry rails, ISecretProtector protector, RefundRecorder recorder)
    : ICommandHandler<ReportRefundCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(ReportRefundCommand command, CancellationToken cancellationToken)
    {
        var (seen, _, role) = await access.LoadAsync(command.DisputeId, tracked: false, cancellationToken);
        DisputeAccess.Require(role, DisputeRoles.Seller, "report a refund");
        var transactionId = command.TransactionId.Trim();
        var walletId = await db.Orders.Where(o => o.Id == seen.OrderId).Select(o => o.WalletId).SingleAsync(cancellationToken);
        var wallet = await db.Wallets.AsNoTracking().SingleAsync(w => w.Id == walletId, cancellationToken);
        if (await db.Refunds.AnyAsync(r => r.WalletId == wallet.Id && r.TransactionId == transactionId, cancellationToken))
            throw new ConflictException("refund.already_used", "This transfer was already reported as a refund.");

        // The wallet's word, not the seller's: read before any lock (a network call), checked again under it.
        var lookup = PaymentMethodId.TryParse(wallet.Provider) is { } method ? rails.Find<IOutgoingTransferLookup>(method) : null;
        if (lookup is null)
            throw new UnprocessableException("refund.not_verifiable", "This wallet's payment method cannot show outgoing transfers.", "transactionId");
        var transfer = await lookup.FindOutgoingAsync(new WalletCredentials(wallet.Account, protector.Unprotect(wallet.EncryptedToken)),
                           transactionId, cancellationToken)
                       ?? throw new UnprocessableException("refund.not_found", "The wallet has no outgoing transfer with this id.", "transactionId");
        return await recorder.RecordAsync(command.DisputeId, wallet.Id, transfer, alongside: null, cancellationToken);
    }
}
