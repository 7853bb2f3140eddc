using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.GetListing;

/// <summary>One listing, in any status: buyers of past orders still find an archived or paused listing here.</summary>
public sealed record GetListingQuery(Guid Id) : IQuery<ListingView>;

public sealed class GetListingHandler(IApplicationDbContext db, ListingViews views) : IQueryHandler<GetListingQuery, ListingView>
{
    public async ValueTask<ListingView> Handle(GetListingQuery query, CancellationToken cancellationToken)
    {
        var listing = await db.Listings.AsNoTracking().FirstOrDefaultAsync(l => l.Id == query.Id, cancellationToken)
                      ?? throw new NotFoundException("Listing", query.Id);
        return await views.ViewAsync(listing, cancellationToken);
    }
}
