using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Orders.Items;

/// <summary>
/// The delivered items of an order, decrypted for its buyer only (anyone else, the seller included,
/// gets 404). The first reveal of each item is recorded (time, client address, user agent) as
/// evidence for a dispute; later reveals change nothing. Replacements delivered in a dispute are
/// listed too, marked.
/// </summary>
public sealed record RevealOrderItemsCommand(Guid OrderId, string? ClientAddress, string? UserAgent) : ICommand<IReadOnlyList<DeliveredItemDto>>
{
    public override string ToString() => $"RevealOrderItemsCommand {{ OrderId = {OrderId} }}";
}

public sealed class RevealOrderItemsHandler(IApplicationDbContext db, ICurrentUser currentUser, ISecretProtector protector, TimeProvider clock)
    : ICommandHandler<RevealOrderItemsCommand, IReadOnlyList<DeliveredItemDto>>
{
    public async ValueTask<IReadOnlyList<DeliveredItemDto>> Handle(RevealOrderItemsCommand command, CancellationToken cancellationToken)
    {
        var buyerId = currentUser.RequireAccountId();
        var order = await db.Orders.AsNoTracking()
                        .Where(o => o.Id == command.OrderId && o.BuyerId == buyerId)
                        .Select(o => new { o.Id, o.Status, o.Quantity })
                        .SingleOrDefaultAsync(cancellationToken)
                    ?? throw new NotFoundException("Order", command.OrderId);
        if (order.Status != OrderStatus.Delivered)
            throw new ConflictException("order.not_delivered", $"The order is {order.Status}; items are shown once it is delivered.");

        var items = await db.ListingItems.AsNoTracking()
            .Where(i => i.OrderId == order.Id && i.Status == ListingItemStatus.Sold)
            .OrderBy(i => i.SoldAt).ThenBy(i => i.CreatedAt).ThenBy(i => i.Id)
            .Select(i => new { i.Id, i.EncryptedPayload, i.SoldAt })
            .ToListAsync(cancellationToken);
        var ids = items.Select(i => i.Id).ToList();
        var revealed = await db.ItemReveals.AsNoTracking().Where(r => ids.Contains(r.ItemId))
            .ToDictionaryAsync(r => r.ItemId, r => r.RevealedAt, cancellationToken);

        var now = clock.GetUtcNow();
        var first = items.Where(i => !revealed.ContainsKey(i.Id)).ToList();
        if (first.Count > 0)
        {
            foreach (var item in first)
                db.ItemReveals.Add(new ItemReveal(item.Id, order.Id, buyerId, now, command.ClientAddress, command.UserAgent));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
            {
                // Two reveals at once: the other request's record is the first one; read it back.
                db.ChangeTracker.Clear();
                revealed = await db.ItemReveals.AsNoTracking().Where(r => ids.Contains(r.ItemId))
                    .ToDictionaryAsync(r => r.ItemId, r => r.RevealedAt, cancellationToken);
            }
        }

        // Items beyond the ordered quantity, sold later, are replacements delivered in a dispute.
        return items.Select((item, index) => new DeliveredItemDto(
                item.Id, protector.Unprotect(item.EncryptedPayload), item.SoldAt ?? now,
                revealed.GetValueOrDefault(item.Id, now), index >= order.Quantity))
            .ToList();
    }
}
