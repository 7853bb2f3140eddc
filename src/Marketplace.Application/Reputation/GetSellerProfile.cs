using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Reputation;

/// <summary>A seller's public profile: reputation figures and their latest ratings. Public; 404 for an account that never listed anything.</summary>
public sealed record GetSellerProfileQuery(Guid SellerId) : IQuery<SellerProfileDto>;

public sealed record SellerProfileDto(SellerReputationDto Reputation, IReadOnlyList<PublicRatingDto> LatestRatings);

/// <summary>A rating as anyone may see it: no buyer identity.</summary>
public sealed record PublicRatingDto(int Stars, string? Comment, DateTimeOffset At);

public sealed class GetSellerProfileHandler(IApplicationDbContext db, SellerReputation reputation)
    : IQueryHandler<GetSellerProfileQuery, SellerProfileDto>
{
    public async ValueTask<SellerProfileDto> Handle(GetSellerProfileQuery query, CancellationToken cancellationToken)
    {
        // A seller is an account with a listing: other accounts (buyers) have no public profile.
        if (!await db.Listings.AnyAsync(l => l.SellerId == query.SellerId, cancellationToken))
            throw new NotFoundException("Seller", query.SellerId);
        var latest = await db.SellerRatings.AsNoTracking().Where(r => r.SellerId == query.SellerId)
            .OrderByDescending(r => r.At).Take(20)
            .Select(r => new PublicRatingDto(r.Stars, r.Comment, r.At)).ToListAsync(cancellationToken);
        return new SellerProfileDto(await reputation.ForAsync(query.SellerId, cancellationToken), latest);
    }
}
