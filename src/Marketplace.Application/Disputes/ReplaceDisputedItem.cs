using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Orders.Stock;
using Marketplace.Domain.Common;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Disputes;

/// <summary>
/// The seller answers a dispute about delivered goods by delivering another item from the listing's
/// stock: taken through the stock gate (ADR 0003) in the same transaction that resolves the dispute,
/// so two replacements never take the same item. The buyer reveals it like the first one. 409
/// order.out_of_stock when the listing has none left (refund or contest instead).
/// </summary>
public sealed record ReplaceDisputedItemCommand(Guid DisputeId) : ICommand<DisputeDto>;

public sealed class ReplaceDisputedItemHandler(IApplicationDbContext db, DisputeAccess access, StockLedger stock, TimeProvider clock)
    : ICommandHandler<ReplaceDisputedItemCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(ReplaceDisputedItemCommand command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (order, dispute, callerId, role) = await access.LockAsync(command.DisputeId, cancellationToken);
        DisputeAccess.Require(role, DisputeRoles.Seller, "replace the goods");
        if (order.Status != OrderStatus.Delivered)
            throw new ConflictException("dispute.nothing_to_replace", $"The order is {order.Status}: there are no delivered goods to replace.");
        var now = clock.GetUtcNow();
        try
        {
            dispute.Replaced(callerId, now);
            order.RecordReplacement(dispute.Id, now);
            order.CloseDispute(dispute.Id, now, "a replacement was delivered", complete: false);
        }
        catch (DomainException ex)
        {
            throw new ConflictException(ex.Code, ex.Message);
        }

        var item = await stock.TryTakeOneAsync(order, cancellationToken)
                   ?? throw new ConflictException("order.out_of_stock", "The listing has no item left to replace with; refund or contest instead.");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DisputeDto.From(dispute, role);
    }
}
