using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.Items;

/// <summary>
/// Takes unsold items off sale for good (deleted: an item nobody bought is no evidence in any dispute). Only
/// available items; one reserved or sold is a 409 and nothing is removed. Race-safe with orders by the stock
/// gate of ADR 0003: the counter is lowered first, by one conditional update that holds the listing's row lock,
/// so an order either reserved before (the item is no longer available: 409 here) or reserves after (the items
/// are gone and the counter already says so). The counter always equals the available rows.
/// </summary>
public sealed record RemoveListingItemsCommand(Guid ListingId, IReadOnlyList<Guid> ItemIds) : ICommand<RemoveListingItemsResult>;

public sealed record RemoveListingItemsResult(int Removed, int Stock);

public sealed class RemoveListingItemsHandler(IApplicationDbContext db, ICurrentUser currentUser)
    : ICommandHandler<RemoveListingItemsCommand, RemoveListingItemsResult>
{
    public async ValueTask<RemoveListingItemsResult> Handle(RemoveListingItemsCommand command, CancellationToken cancellationToken)
    {
        var listing = await ListingItemAccess.OwnListingAsync(db, currentUser.RequireAccountId(), command.ListingId, cancellationToken);
        var ids = command.ItemIds.Distinct().ToList();
        var found = await db.ListingItems.AsNoTracking().Where(i => i.ListingId == listing.Id && ids.Contains(i.Id))
            .Select(i => new { i.Id, i.Status }).ToListAsync(cancellationToken);
        var missing = ids.Except(found.Select(f => f.Id)).ToList();
        if (missing.Count > 0) throw new NotFoundException("Listing item", missing[0]);
        var notAvailable = found.Where(f => f.Status != ListingItemStatus.Available).Select(f => f.Id).ToList();
        if (notAvailable.Count > 0) throw NotAvailable(notAvailable);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var gated = await db.Listings.Where(l => l.Id == listing.Id && l.AvailableCount >= ids.Count)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.AvailableCount, l => l.AvailableCount - ids.Count), cancellationToken);
        var removed = gated == 0 ? 0 : await db.ListingItems
            .Where(i => i.ListingId == listing.Id && ids.Contains(i.Id) && i.Status == ListingItemStatus.Available)
            .ExecuteDeleteAsync(cancellationToken);
        if (removed != ids.Count)
        {
            // An order reserved some of them between the check above and the gate: nothing changes (rollback).
            await transaction.RollbackAsync(cancellationToken);
            throw NotAvailable([]);
        }

        var stock = await db.Listings.Where(l => l.Id == listing.Id).Select(l => l.AvailableCount).SingleAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RemoveListingItemsResult(removed, stock);
    }

    private static ConflictException NotAvailable(IReadOnlyList<Guid> ids) => new("items.not_available",
        ids.Count == 0
            ? "Some of these items were reserved by an order at the same moment; nothing was removed."
            : $"Only available items can be removed; reserved or sold: {string.Join(", ", ids.Take(20))}. Nothing was removed.");
}

public sealed class RemoveListingItemsValidator : AbstractValidator<RemoveListingItemsCommand>
{
    public const int MaxItemsPerRequest = 1000;

    public RemoveListingItemsValidator()
    {
        RuleFor(c => c.ListingId).NotEmpty();
        RuleFor(c => c.ItemIds).NotEmpty().Must(ids => ids.Count <= MaxItemsPerRequest)
            .WithMessage($"'Item Ids' must contain at most {MaxItemsPerRequest} entries per request.");
        RuleForEach(c => c.ItemIds).NotEmpty();
    }
}
