using Marketplace.Application.Common.Models;
using Marketplace.Domain.Listings;

namespace Marketplace.Application.Listings;

/// <summary>
/// A listing as the public catalog shows it: stock count, never the items. <c>paused</c>: the seller's
/// wallet needs attention (its token was refused), so the listing cannot be ordered until it is reconnected.
/// <c>protectionHours</c>: how long after delivery a buyer may dispute. <c>seller</c>: the seller's rating and
/// completed orders (GET /sellers/{id} has the full profile). <c>status</c>: Active, Paused (by the seller) or
/// Archived (final). <c>version</c>: raised by every change the seller makes (part of the ETag).
/// </summary>
public sealed record ListingDto(
    Guid Id, Guid SellerId, string Title, string Description, string Category, MoneyDto Price,
    int Stock, int PaymentWindowMinutes, int MaxQuantityPerOrder, ListingStatus Status, DateTimeOffset CreatedAt, bool Paused = false,
    int ProtectionHours = Listing.DefaultProtectionHours, Reputation.SellerSummaryDto? Seller = null, int? LowStockThreshold = null,
    int Version = 1, DateTimeOffset? UpdatedAt = null)
{
    public static ListingDto From(Listing l) => From(l, paused: false);

    /// <summary>As its seller sees it: with the seller's own settings (the low-stock threshold), which the catalog does not show.</summary>
    public static ListingDto ForOwner(Listing l) => From(l, paused: false) with { LowStockThreshold = l.LowStockThreshold };

    public static ListingDto From(Listing l, bool paused, Reputation.SellerSummaryDto? seller = null) =>
        new(l.Id, l.SellerId, l.Title, l.Description, l.Category, MoneyDto.Of(l.Price, l.Currency),
            l.AvailableCount, l.PaymentWindowMinutes, l.MaxQuantityPerOrder, l.Status, l.CreatedAt, paused, l.ProtectionHours, seller,
            Version: l.Version, UpdatedAt: l.UpdatedAt);
}
