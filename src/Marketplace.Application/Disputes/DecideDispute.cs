using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Common;
using Marketplace.Domain.Disputes;
using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>
/// A moderator decides an escalated dispute, with the reasons in words. For the seller: the order
/// completes. For the buyer: the seller owes a refund or a replacement; the order stays held (it does
/// not complete by itself, and no other dispute can be opened on it) and the decision is in the thread.
/// </summary>
public sealed record DecideDisputeCommand(Guid DisputeId, DisputeDecision Decision, string Note) : ICommand<DisputeDto>;

public enum DisputeDecision
{
    ForBuyer,
    ForSeller,
}

public sealed class DecideDisputeValidator : AbstractValidator<DecideDisputeCommand>
{
    public DecideDisputeValidator()
    {
        RuleFor(c => c.Decision).IsInEnum();
        RuleFor(c => c.Note).NotEmpty().MaximumLength(Dispute.MaxTextLength).PlainText();
    }
}

public sealed class DecideDisputeHandler(IApplicationDbContext db, DisputeAccess access, TimeProvider clock)
    : ICommandHandler<DecideDisputeCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(DecideDisputeCommand command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (order, dispute, callerId, role) = await access.LockAsync(command.DisputeId, cancellationToken);
        // A moderator who is also the buyer or seller of this order does not judge it.
        DisputeAccess.Require(role, DisputeRoles.Moderator, "decide the dispute");
        var now = clock.GetUtcNow();
        var forBuyer = command.Decision == DisputeDecision.ForBuyer;
        try
        {
            dispute.Decide(callerId, forBuyer, command.Note, now);
            if (forBuyer) order.HoldForRemedy(dispute.Id, now);
            else order.CloseDispute(dispute.Id, now, "decided for the seller", complete: true);
        }
        catch (DomainException ex)
        {
            throw new ConflictException(ex.Code, ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DisputeDto.From(dispute, role);
    }
}
