using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>
/// The buyer withdraws an open dispute (the order completes as usual), or, after a decision for the
/// buyer, releases the order held for the remedy (made whole another way).
/// </summary>
public sealed record WithdrawDisputeCommand(Guid DisputeId) : ICommand<DisputeDto>;

public sealed class WithdrawDisputeHandler(DisputeAccess access) : ICommandHandler<WithdrawDisputeCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(WithdrawDisputeCommand command, CancellationToken cancellationToken) =>
        await access.ChangeAsync(command.DisputeId, DisputeRoles.Buyer, "withdraw the dispute", (order, dispute, caller, now) =>
        {
            dispute.Withdraw(caller.Id, now);
            order.CloseDispute(dispute.Id, now, "withdrawn by the buyer", complete: false);
        }, cancellationToken);
}
