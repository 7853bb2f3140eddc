using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Orders;
using Marketplace.Application.Payments.Matching;
using Marketplace.Domain.Payments;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Wallets.Transfers;

/// <summary>
/// The seller ties a transfer from the inbox (unmatched, ambiguous, before the order, too late) to
/// one of the wallet's orders. The order's rules decide, except timing: the seller vouches for it.
/// </summary>
public sealed record AttachTransferCommand(Guid WalletId, Guid TransferId, Guid OrderId) : ICommand<WalletTransferDto>;

public sealed class AttachTransferValidator : AbstractValidator<AttachTransferCommand>
{
    public AttachTransferValidator() => RuleFor(c => c.OrderId).NotEmpty();
}

public sealed class AttachTransferHandler(
    IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock, IOptions<MatcherOptions> options)
    : ICommandHandler<AttachTransferCommand, WalletTransferDto>
{
    public async ValueTask<WalletTransferDto> Handle(AttachTransferCommand command, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        if (!await db.Wallets.AnyAsync(w => w.Id == command.WalletId && w.OwnerId == ownerId, cancellationToken))
            throw new NotFoundException("Wallet", command.WalletId);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.Orders.AsNoTracking().AnyAsync(o => o.Id == command.OrderId && o.WalletId == command.WalletId, cancellationToken)
            ? await db.LockOrderAsync(command.OrderId, cancellationToken)
            : null;
        if (order is null) throw new UnprocessableException("transfer.order_unknown", "The wallet has no such order.", "orderId");
        var payment = await db.IncomingPayments.FirstOrDefaultAsync(p => p.Id == command.TransferId && p.WalletId == command.WalletId, cancellationToken)
                      ?? throw new NotFoundException("Transfer", command.TransferId);
        if (!payment.CanBeAttached)
            throw new ConflictException("transfer.not_attachable", $"Only an unresolved transfer waiting in the inbox can be attached; this one is {payment.Outcome}.");

        order.RecordPayment(payment, payment.AsObserved(), PaymentSource.SellerAttached, options.Value.Rules, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return WalletTransferDto.From(payment);
    }
}
