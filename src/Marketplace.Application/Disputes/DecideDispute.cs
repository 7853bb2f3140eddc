using FluentValidation;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Disputes;
using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>
/// A moderator decides an escalated dispute, with the reasons in words. For the seller: the order
/// completes. For the buyer: the seller owes a refund or a replacement, within
/// <see cref="DisputeOptions.SellerResponseTime"/> (past it, the seller's profile shows the overdue remedy); the order stays held (it does
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

public sealed class DecideDisputeHandler(DisputeAccess access, Microsoft.Extensions.Options.IOptions<DisputeOptions> options)
    : ICommandHandler<DecideDisputeCommand, DisputeDto>
{
    // A moderator who is also the buyer or seller of this order has that role here, so cannot decide it.
    public async ValueTask<DisputeDto> Handle(DecideDisputeCommand command, CancellationToken cancellationToken) =>
        await access.ChangeAsync(command.DisputeId, DisputeRoles.Moderator, "decide the dispute", (order, dispute, caller, now) =>
        {
            var forBuyer = command.Decision == DisputeDecision.ForBuyer;
            dispute.Decide(caller.Id, forBuyer, command.Note, now, options.Value.SellerResponseTime);
            if (forBuyer) order.HoldForRemedy(dispute.Id, now);
            else order.CloseDispute(dispute.Id, now, "decided for the seller", complete: true);
        }, cancellationToken);
}
