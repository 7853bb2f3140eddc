using FluentValidation;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Disputes;
using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>The seller disagrees with the buyer (with an optional statement): the dispute goes to a moderator.</summary>
public sealed record ContestDisputeCommand(Guid DisputeId, string? Statement) : ICommand<DisputeDto>;

public sealed class ContestDisputeValidator : AbstractValidator<ContestDisputeCommand>
{
    public ContestDisputeValidator() => RuleFor(c => c.Statement).MaximumLength(Dispute.MaxTextLength).PlainText();
}

public sealed class ContestDisputeHandler(DisputeAccess access) : ICommandHandler<ContestDisputeCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(ContestDisputeCommand command, CancellationToken cancellationToken) =>
        await access.ChangeAsync(command.DisputeId, DisputeRoles.Seller, "contest the dispute",
            (_, dispute, caller, now) => dispute.Contest(caller.Id, string.IsNullOrWhiteSpace(command.Statement) ? null : command.Statement, now),
            cancellationToken);
}
