using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Payments;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Wallets.Transfers;

/// <summary>The seller closes an inbox entry with a note (refunded outside, a private transfer, ...).</summary>
public sealed record ResolveTransferCommand(Guid WalletId, Guid TransferId, string Note) : ICommand<WalletTransferDto>;

public sealed class ResolveTransferValidator : AbstractValidator<ResolveTransferCommand>
{
    public ResolveTransferValidator() => RuleFor(c => c.Note).NotEmpty().MaximumLength(IncomingPayment.MaxNoteLength);
}

public sealed class ResolveTransferHandler(IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<ResolveTransferCommand, WalletTransferDto>
{
    public async ValueTask<WalletTransferDto> Handle(ResolveTransferCommand command, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        var payment = await (
                from p in db.IncomingPayments
                join w in db.Wallets on p.WalletId equals w.Id
                where p.Id == command.TransferId && p.WalletId == command.WalletId && w.OwnerId == ownerId
                select p)
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("Transfer", command.TransferId);
        if (!payment.WaitsForSeller)
            throw new ConflictException("transfer.not_in_inbox", "Only a transfer waiting in the inbox can be resolved.");
        payment.Resolve(command.Note.Trim(), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return WalletTransferDto.From(payment);
    }
}
