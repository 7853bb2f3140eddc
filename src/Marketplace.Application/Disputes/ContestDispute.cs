using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Common;
using Marketplace.Domain.Disputes;
using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>The seller disagrees with the buyer (with an optional statement): the dispute goes to a moderator.</summary>
public sealed record ContestDisputeCommand(Guid DisputeId, string? Statement) : ICommand<DisputeDto>;

public sealed class ContestDisputeValidator : AbstractValidator<ContestDisputeCommand>
{
    public ContestDisputeValidator() => RuleFor(c => c.Statement).MaximumLength(Dispute.MaxTextLength).PlainText();
}

public sealed class ContestDisputeHandler(IApplicationDbContext db, DisputeAccess access, TimeProvider clock)
    : ICommandHandler<ContestDisputeCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(ContestDisputeCommand command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (_, dispute, callerId, role) = await access.LockAsync(command.DisputeId, cancellationToken);
        DisputeAccess.Require(role, DisputeRoles.Seller, "contest the dispute");
        try
        {
            dispute.Contest(callerId, string.IsNullOrWhiteSpace(command.Statement) ? null : command.Statement, clock.GetUtcNow());
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
