using System.Runtime.CompilerServices;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Listings.Items;

/// <summary>
/// The seller's own keys in plaintext with their status and order: the only place a payload leaves the service
/// other than to its buyer. Rows are read and decrypted one at a time as the response streams. That an export
/// happened is logged (listing, seller, row count), never what it held.
/// </summary>
public sealed record ExportListingItemsQuery(Guid ListingId) : IQuery<ListingItemExport>;

/// <summary>The rows, produced lazily: enumerate once, within the request.</summary>
public sealed record ListingItemExport(Guid ListingId, IAsyncEnumerable<ExportedItem> Rows);

public sealed record ExportedItem(Guid Id, ListingItemStatus Status, Guid? OrderId, DateTimeOffset CreatedAt, DateTimeOffset? SoldAt, string Key);

public sealed class ExportListingItemsHandler(
    IApplicationDbContext db, ICurrentUser currentUser, ISecretProtector protector, ILogger<ExportListingItemsHandler> logger)
    : IQueryHandler<ExportListingItemsQuery, ListingItemExport>
{
    public async ValueTask<ListingItemExport> Handle(ExportListingItemsQuery query, CancellationToken cancellationToken)
    {
        var sellerId = currentUser.RequireAccountId();
        var listing = await ListingItemAccess.OwnListingAsync(db, sellerId, query.ListingId, cancellationToken);
        return new ListingItemExport(listing.Id, RowsAsync(listing.Id, sellerId, cancellationToken));
    }

    private async IAsyncEnumerable<ExportedItem> RowsAsync(Guid listingId, Guid sellerId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var count = 0;
        var rows = db.ListingItems.AsNoTracking().Where(i => i.ListingId == listingId)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id)
            .AsAsyncEnumerable();
        await foreach (var item in rows.WithCancellation(cancellationToken))
        {
            count++;
            yield return new ExportedItem(item.Id, item.Status, item.OrderId, item.CreatedAt, item.SoldAt, protector.Unprotect(item.EncryptedPayload));
        }

        logger.LogInformation("Seller {SellerId} exported the items of listing {ListingId}: {Count} rows", sellerId, listingId, count);
    }
}
