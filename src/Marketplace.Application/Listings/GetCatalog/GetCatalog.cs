using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.GetCatalog;

/// <summary>
/// The public catalog: active listings, newest first, optionally by category or in stock only. A
/// listing whose wallet needs attention is paused: left out until the seller reconnects the wallet.
/// </summary>
public sealed record GetCatalogQuery(int Page = 1, int PageSize = 20, string? Category = null, bool InStockOnly = false)
    : IQuery<PagedResult<ListingDto>>;

public sealed class GetCatalogHandler(IApplicationDbContext db, Reputation.SellerReputation reputation)
    : IQueryHandler<GetCatalogQuery, PagedResult<ListingDto>>
{
    public async ValueTask<PagedResult<ListingDto>> Handle(GetCatalogQuery query, CancellationToken cancellationToken)
    {
        var listings = db.Listings.AsNoTracking()
            .Where(l => l.Status == ListingStatus.Active && db.Wallets.Any(w => w.Id == l.WalletId && w.Status == WalletStatus.Active));
        if (!string.IsNullOrWhiteSpace(query.Category)) listings = listings.Where(l => l.Category == query.Category.Trim());
        if (query.InStockOnly) listings = listings.Where(l => l.AvailableCount > 0);

        var total = await listings.CountAsync(cancellationToken);
        var page = await listings
            .OrderByDescending(l => l.CreatedAt).ThenBy(l => l.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ToListAsync(cancellationToken);
        var sellers = await reputation.SummariesAsync(page.Select(l => l.SellerId).Distinct().ToList(), cancellationToken);
        return new PagedResult<ListingDto>(page.Select(l => ListingDto.From(l, paused: false, sellers[l.SellerId])).ToList(),
            query.Page, query.PageSize, total);
    }
}
