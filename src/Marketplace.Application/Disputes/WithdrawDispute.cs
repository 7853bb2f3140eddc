using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Common;
using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>The buyer withdraws an open dispute; the order is no longer held and completes as usual.</summary>
public sealed record WithdrawDisputeCommand(Guid DisputeId) : ICommand<DisputeDto>;

public sealed class WithdrawDisputeHandler(IApplicationDbContext db, DisputeAccess access, TimeProvider clock)
    : ICommandHandler<WithdrawDisputeCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(WithdrawDisputeCommand command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (order, dispute, callerId, role) = await access.LockAsync(command.DisputeId, cancellationToken);
        DisputeAccess.Require(role, DisputeRoles.Buyer, "withdraw the dispute");
        var now = clock.GetUtcNow();
        try
        {
            dispute.Withdraw(callerId, now);
            order.CloseDispute(dispute.Id, now, "withdrawn by the buyer", complete: false);
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
