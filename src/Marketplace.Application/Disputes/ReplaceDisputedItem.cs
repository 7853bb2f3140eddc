using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Orders.Stock;
using Marketplace.Domain.Orders;
using Mediator;

namespace Marketplace.Application.Disputes;

/// <summary>
/// The seller answers a dispute about delivered goods by delivering another item from the listing's
/// stock: taken through the stock gate (ADR 0003) in the same transaction that resolves the dispute,
/// so two replacements never take the same item. The buyer reveals it like the first one. 409
/// order.out_of_stock when the listing has none left (refund or contest instead).
/// </summary>
public sealed record ReplaceDisputedItemCommand(Guid DisputeId) : ICommand<DisputeDto>;

public sealed class ReplaceDisputedItemHandler(DisputeAccess access, StockLedger stock) : ICommandHandler<ReplaceDisputedItemCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(ReplaceDisputedItemCommand command, CancellationToken cancellationToken) =>
        await access.ChangeAsync(command.DisputeId, DisputeRoles.Seller, "replace the goods", async (order, dispute, caller, now) =>
        {
            if (order.Status != OrderStatus.Delivered)
                throw new ConflictException("dispute.nothing_to_replace", $"The order is {order.Status}: there are no delivered goods to replace.");
            dispute.Replaced(caller.Id, now);
            order.RecordReplacement(dispute.Id, now);
            order.CloseDispute(dispute.Id, now, "a replacement was delivered", complete: false);
            if (await stock.TryTakeOneAsync(order, cancellationToken) is null)
                throw new ConflictException("order.out_of_stock", "The listing has no item left to replace with; refund or contest instead.");
        }, cancellationToken);
}
