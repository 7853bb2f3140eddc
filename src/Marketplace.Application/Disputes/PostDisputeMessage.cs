using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Common;
using Marketplace.Domain.Disputes;
using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>A message in an open dispute's thread, from its buyer, its seller or a moderator (plain text, bounded).</summary>
public sealed record PostDisputeMessageCommand(Guid DisputeId, string Text) : ICommand<DisputeDto>;

public sealed class PostDisputeMessageValidator : AbstractValidator<PostDisputeMessageCommand>
{
    public PostDisputeMessageValidator() => RuleFor(c => c.Text).NotEmpty().MaximumLength(Dispute.MaxTextLength).PlainText();
}

public sealed class PostDisputeMessageHandler(IApplicationDbContext db, DisputeAccess access, TimeProvider clock)
    : ICommandHandler<PostDisputeMessageCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(PostDisputeMessageCommand command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (_, dispute, callerId, role) = await access.LockAsync(command.DisputeId, cancellationToken);
        var party = role switch
        {
            DisputeRoles.Buyer => DisputeParty.Buyer,
            DisputeRoles.Seller => DisputeParty.Seller,
            _ => DisputeParty.Moderator,
        };
        try
        {
            dispute.AddMessage(callerId, party, command.Text, clock.GetUtcNow());
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
