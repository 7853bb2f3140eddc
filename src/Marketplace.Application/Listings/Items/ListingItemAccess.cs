using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.Items;

/// <summary>The seller's own listing, or 404 (someone else's listing looks missing, as everywhere in the API).</summary>
internal static class ListingItemAccess
{
    public static async Task<Listing> OwnListingAsync(IApplicationDbContext db, Guid sellerId, Guid listingId, CancellationToken cancellationToken) =>
        await db.Listings.AsNoTracking().FirstOrDefaultAsync(l => l.Id == listingId && l.SellerId == sellerId, cancellationToken)
        ?? throw new NotFoundException("Listing", listingId);

    /// <summary>Stock can be added while the listing is active or paused; an archived listing is over.</summary>
    public static void EnsureStockable(Listing listing)
    {
        if (listing.Status == ListingStatus.Archived)
            throw new ConflictException("listing.archived", "This listing is archived; archiving is final, so it takes no new items.");
    }
}
