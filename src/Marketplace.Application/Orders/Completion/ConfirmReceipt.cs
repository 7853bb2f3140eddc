using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Orders.Completion;

/// <summary>
/// The buyer confirms the goods work: the order completes at once and can no longer be disputed.
/// Buyer only (404 otherwise); 409 when it is not delivered, already complete, or has a dispute open.
/// </summary>
public sealed record ConfirmReceiptCommand(Guid OrderId) : ICommand<OrderDto>;

public sealed class ConfirmReceiptHandler(IApplicationDbContext db, ICurrentUser currentUser, OrderMapper mapper, TimeProvider clock)
    : ICommandHandler<ConfirmReceiptCommand, OrderDto>
{
    public async ValueTask<OrderDto> Handle(ConfirmReceiptCommand command, CancellationToken cancellationToken)
    {
        var buyerId = currentUser.RequireAccountId();
        if (!await db.Orders.AnyAsync(o => o.Id == command.OrderId && o.BuyerId == buyerId, cancellationToken))
            throw new NotFoundException("Order", command.OrderId);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(command.OrderId, cancellationToken) ?? throw new NotFoundException("Order", command.OrderId);
        try
        {
            order.ConfirmReceipt(clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            throw new ConflictException(ex.Code, ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return mapper.ToDto(order, buyerId);
    }
}
