using FluentValidation;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Listings;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.Items;

/// <summary>
/// The seller's view of a listing's stock: which item went to which order, never the payload. Each item shows
/// its keyed hash (the marketplace-wide key hash, or for items stored before it existed the listing-scoped
/// fingerprint), so a seller can match an item to a key they hold without the service ever showing it.
/// Oldest first (the order items are handed out in).
/// </summary>
public sealed record ListListingItemsQuery(Guid ListingId, ListingItemStatus? Status = null, int Page = 1, int PageSize = 50)
    : IQuery<PagedResult<ListingItemDto>>;

public sealed record ListingItemDto(Guid Id, ListingItemStatus Status, string Fingerprint, Guid? OrderId, DateTimeOffset CreatedAt, DateTimeOffset? SoldAt);

public sealed class ListListingItemsHandler(IApplicationDbContext db, ICurrentUser currentUser)
    : IQueryHandler<ListListingItemsQuery, PagedResult<ListingItemDto>>
{
    public async ValueTask<PagedResult<ListingItemDto>> Handle(ListListingItemsQuery query, CancellationToken cancellationToken)
    {
        var listing = await ListingItemAccess.OwnListingAsync(db, currentUser.RequireAccountId(), query.ListingId, cancellationToken);
        var items = db.ListingItems.AsNoTracking().Where(i => i.ListingId == listing.Id);
        if (query.Status is { } status) items = items.Where(i => i.Status == status);
        var total = await items.CountAsync(cancellationToken);
        var page = await items.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(i => new ListingItemDto(i.Id, i.Status, i.KeyHash ?? i.Fingerprint, i.OrderId, i.CreatedAt, i.SoldAt))
            .ToListAsync(cancellationToken);
        return new PagedResult<ListingItemDto>(page, query.Page, query.PageSize, total);
    }
}

public sealed class ListListingItemsValidator : AbstractValidator<ListListingItemsQuery>
{
    public const int MaxPageSize = 500;

    public ListListingItemsValidator()
    {
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize);
    }
}
