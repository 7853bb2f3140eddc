using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.GetListing;

public sealed record GetListingQuery(Guid Id) : IQuery<ListingDto>;

public sealed class GetListingHandler(IApplicationDbContext db, Reputation.SellerReputation reputation) : IQueryHandler<GetListingQuery, ListingDto>
{
    public async ValueTask<ListingDto> Handle(GetListingQuery query, CancellationToken cancellationToken)
    {
        var listing = await db.Listings.AsNoTracking().FirstOrDefaultAsync(l => l.Id == query.Id, cancellationToken)
                      ?? throw new NotFoundException("Listing", query.Id);
        var paused = await db.Wallets.AsNoTracking().AnyAsync(w => w.Id == listing.WalletId && w.Status != WalletStatus.Active, cancellationToken);
        var seller = await reputation.SummariesAsync([listing.SellerId], cancellationToken);
        return ListingDto.From(listing, paused, seller[listing.SellerId]);
    }
}
