using FluentValidation;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Listings;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.ListMyListings;

/// <summary>The caller's own listings, newest first: active and paused; archived ones only when asked for.</summary>
public sealed record ListMyListingsQuery(int Page = 1, int PageSize = 20, bool IncludeArchived = false) : IQuery<PagedResult<ListingDto>>;

public sealed class ListMyListingsHandler(IApplicationDbContext db, ICurrentUser currentUser, Reputation.SellerReputation reputation)
    : IQueryHandler<ListMyListingsQuery, PagedResult<ListingDto>>
{
    public async ValueTask<PagedResult<ListingDto>> Handle(ListMyListingsQuery query, CancellationToken cancellationToken)
    {
        var sellerId = currentUser.RequireAccountId();
        var listings = db.Listings.AsNoTracking().Where(l => l.SellerId == sellerId);
        if (!query.IncludeArchived) listings = listings.Where(l => l.Status != ListingStatus.Archived);
        var total = await listings.CountAsync(cancellationToken);
        var page = await listings.OrderByDescending(l => l.CreatedAt).ThenBy(l => l.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(l => new { Listing = l, WalletPaused = db.Wallets.Any(w => w.Id == l.WalletId && w.Status != Domain.Wallets.WalletStatus.Active) })
            .ToListAsync(cancellationToken);
        var seller = (await reputation.SummariesAsync([sellerId], cancellationToken))[sellerId];
        return new PagedResult<ListingDto>(page.Select(p => ListingDto.From(p.Listing, p.WalletPaused, seller)).ToList(), query.Page, query.PageSize, total);
    }
}

public sealed class ListMyListingsValidator : FluentValidation.AbstractValidator<ListMyListingsQuery>
{
    public ListMyListingsValidator()
    {
        RuleFor(q => q.Page).InclusiveBetween(1, Common.Validation.CommonRules.MaxPage);
        RuleFor(q => q.PageSize).InclusiveBetween(1, 100);
    }
}
