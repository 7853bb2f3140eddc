using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.GetCatalog;

/// <summary>
/// The public catalog: listings on sale (active, and not paused by a wallet that needs attention), filtered and
/// sorted. Paging is by keyset: <see cref="CatalogPage.NextCursor"/> continues exactly after the last entry, so
/// paging through is free of duplicates and gaps even while listings are added. <c>page</c> (offset paging) still
/// works for older clients but shifts when listings are added; the two cannot be combined.
/// </summary>
/// <param name="Q">Case-insensitive text in the title or description.</param>
/// <param name="MinPrice">Inclusive, in the listing's currency (meaningful together with <paramref name="Currency"/>).</param>
/// <param name="Sort">One of <see cref="CatalogSort"/>'s names: newest (default), price_asc, price_desc, rating.</param>
public sealed record GetCatalogQuery(
    int Page = 1, int PageSize = 20, string? Category = null, bool InStockOnly = false, string? Q = null, decimal? MinPrice = null,
    decimal? MaxPrice = null, string? Currency = null, Guid? SellerId = null, string? Sort = null, string? Cursor = null)
    : IQuery<CatalogPage>;

/// <summary>One page of the catalog. <c>nextCursor</c>: pass it as <c>cursor</c> for the next page; null on the last page.</summary>
public sealed record CatalogPage(IReadOnlyList<ListingDto> Items, int Page, int PageSize, int TotalCount, string? NextCursor);

public sealed class GetCatalogHandler(IApplicationDbContext db, Reputation.SellerReputation reputation)
    : IQueryHandler<GetCatalogQuery, CatalogPage>
{
    public async ValueTask<CatalogPage> Handle(GetCatalogQuery query, CancellationToken cancellationToken)
    {
        var sort = CatalogSortNames.Parse(query.Sort);
        var listings = db.Listings.AsNoTracking()
            .Where(l => l.Status == ListingStatus.Active && db.Wallets.Any(w => w.Id == l.WalletId && w.Status == WalletStatus.Active));
        if (!string.IsNullOrWhiteSpace(query.Category)) listings = listings.Where(l => l.Category == query.Category.Trim());
        if (query.InStockOnly) listings = listings.Where(l => l.AvailableCount > 0);
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            // lower() on both sides: ILIKE's meaning on PostgreSQL, and SQLite's LIKE is ASCII-only case-blind anyway.
            var text = query.Q.Trim().ToLowerInvariant();
            listings = listings.Where(l => l.Title.ToLower().Contains(text) || l.Description.ToLower().Contains(text));
        }

        if (query.Currency is { } currency) listings = listings.Where(l => l.Currency == currency);
        if (query.SellerId is { } sellerId) listings = listings.Where(l => l.SellerId == sellerId);
        if (query.MinPrice is { } min)
        {
            var minMinor = CatalogCursor.Minor(min);
            listings = listings.Where(l => l.PriceMinor >= minMinor);
        }

        if (query.MaxPrice is { } max)
        {
            var maxMinor = CatalogCursor.Minor(max);
            listings = listings.Where(l => l.PriceMinor <= maxMinor);
        }

        var total = await listings.CountAsync(cancellationToken);

        // The seller's average stars times 100 (integer, so a cursor compares it exactly); -1 before the first rating.
        var rows = listings.Select(l => new CatalogRow
        {
            Listing = l,
            RatingKey = db.SellerRatings.Count(r => r.SellerId == l.SellerId) == 0
                ? -1
                : db.SellerRatings.Where(r => r.SellerId == l.SellerId).Sum(r => r.Stars) * 100 / db.SellerRatings.Count(r => r.SellerId == l.SellerId),
        });
        if (query.Cursor is not null && CatalogCursor.TryDecode(query.Cursor, sort, out var after)) rows = After(rows, sort, after);
        var ordered = sort switch
        {
            CatalogSort.PriceAsc => rows.OrderBy(r => r.Listing.PriceMinor).ThenBy(r => r.Listing.Id),
            CatalogSort.PriceDesc => rows.OrderByDescending(r => r.Listing.PriceMinor).ThenBy(r => r.Listing.Id),
            CatalogSort.Rating => rows.OrderByDescending(r => r.RatingKey).ThenBy(r => r.Listing.Id),
            _ => rows.OrderByDescending(r => r.Listing.CreatedAt).ThenBy(r => r.Listing.Id),
        };
        var skip = query.Cursor is null ? (query.Page - 1) * query.PageSize : 0;
        var page = await ordered.Skip(skip).Take(query.PageSize + 1).ToListAsync(cancellationToken);

        var more = page.Count > query.PageSize;
        if (more) page.RemoveAt(page.Count - 1);
        var sellers = await reputation.SummariesAsync(page.Select(r => r.Listing.SellerId).Distinct().ToList(), cancellationToken);
        var next = more ? CatalogCursor.Encode(sort, page[^1]) : null;
        return new CatalogPage(page.Select(r => ListingDto.From(r.Listing, paused: false, sellers[r.Listing.SellerId])).ToList(),
            query.Page, query.PageSize, total, next);
    }

    /// <summary>Rows strictly after the cursor's row in the sort order (the id breaks ties).</summary>
    private static IQueryable<CatalogRow> After(IQueryable<CatalogRow> rows, CatalogSort sort, CatalogCursor.Position after)
    {
        var id = after.Id;
        var key = after.Key;
        switch (sort)
        {
            case CatalogSort.PriceAsc:
                return rows.Where(r => r.Listing.PriceMinor > key || (r.Listing.PriceMinor == key && r.Listing.Id.CompareTo(id) > 0));
            case CatalogSort.PriceDesc:
                return rows.Where(r => r.Listing.PriceMinor < key || (r.Listing.PriceMinor == key && r.Listing.Id.CompareTo(id) > 0));
            case CatalogSort.Rating:
                var rating = (int)key;
                return rows.Where(r => r.RatingKey < rating || (r.RatingKey == rating && r.Listing.Id.CompareTo(id) > 0));
            default:
                var createdAt = new DateTimeOffset(key, TimeSpan.Zero);
                return rows.Where(r => r.Listing.CreatedAt < createdAt || (r.Listing.CreatedAt == createdAt && r.Listing.Id.CompareTo(id) > 0));
        }
    }
}

/// <summary>A listing with the sort key that is not one of its columns.</summary>
public sealed class CatalogRow
{
    public required Listing Listing { get; init; }
    public int RatingKey { get; init; }
}
