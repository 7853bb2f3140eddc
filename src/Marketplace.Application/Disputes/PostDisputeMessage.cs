using FluentValidation;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Disputes;
using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>A message in an open dispute's thread, from its buyer, its seller or a moderator (plain text, bounded).</summary>
public sealed record PostDisputeMessageCommand(Guid DisputeId, string Text) : ICommand<DisputeDto>;

public sealed class PostDisputeMessageValidator : AbstractValidator<PostDisputeMessageCommand>
{
    public PostDisputeMessageValidator() => RuleFor(c => c.Text).NotEmpty().MaximumLength(Dispute.MaxTextLength).PlainText();
}

public sealed class PostDisputeMessageHandler(DisputeAccess access) : ICommandHandler<PostDisputeMessageCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(PostDisputeMessageCommand command, CancellationToken cancellationToken) =>
        await access.ChangeAsync(command.DisputeId, role: null, "post a message", (_, dispute, caller, now) =>
            dispute.AddMessage(caller.Id, caller.Role switch
            {
                DisputeRoles.Buyer => DisputeParty.Buyer,
                DisputeRoles.Seller => DisputeParty.Seller,
                _ => DisputeParty.Moderator,
            }, command.Text, now), cancellationToken);
}
