namespace Marketplace.Client.Models;

/// <param name="Category">A short slug such as game-keys.</param>
/// <param name="LowStockThreshold">Send listing.stock_low to the seller's webhooks when the stock falls to this many.</param>
public sealed record CreateListingRequest(
    string Title, string? Description, string Category, Money Price, Guid WalletId, int? PaymentWindowMinutes = null,
    int? MaxQuantityPerOrder = null, int? ProtectionHours = null, int? LowStockThreshold = null);

/// <summary>Only what is given changes. A new price applies to orders placed from then on.</summary>
public sealed record EditListingRequest(
    string? Title = null, string? Description = null, string? Category = null, Money? Price = null, int? PaymentWindowMinutes = null,
    int? MaxQuantityPerOrder = null, int? ProtectionHours = null);

/// <summary>
/// A listing: the stock count, never the items. <see cref="Status"/>: Active, Paused or Archived;
/// <see cref="Paused"/> also when the seller's wallet needs attention.
/// </summary>
public sealed record Listing(
    Guid Id, Guid SellerId, string Title, string Description, string Category, Money Price, int Stock, int PaymentWindowMinutes,
    int MaxQuantityPerOrder, string Status, DateTimeOffset CreatedAt, bool Paused, int ProtectionHours, SellerSummary? Seller,
    int? LowStockThreshold, int Version, DateTimeOffset? UpdatedAt);

/// <summary>The seller as each listing shows it; <c>Name</c> is null until the seller chooses a display name.</summary>
public sealed record SellerSummary(decimal? Rating, int Ratings, int CompletedOrders, string? Name);

/// <summary>A catalog page; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next one (null: the last page).</summary>
public sealed record CatalogPage(IReadOnlyList<Listing> Items, int Page, int PageSize, int TotalCount, string? NextCursor);

public sealed record AddItemsRequest(IReadOnlyList<string> Items);

public sealed record AddItemsResult(int Added, int Duplicates, int Stock, IReadOnlyList<ItemRejection>? Rejections);

/// <summary>Why a key of an upload was not stored, by its line (1-based) or position.</summary>
public sealed record ItemRejection(int Line, string Reason);

public sealed record ImportResult(
    int Received, int Added, int Rejected, IReadOnlyDictionary<string, int> RejectedByReason, IReadOnlyList<ItemRejection> Rejections, int Stock);

/// <summary>An item as its seller lists it: never the key, only its keyed hash and where it went.</summary>
public sealed record ListingItem(Guid Id, string Status, string Fingerprint, Guid? OrderId, DateTimeOffset CreatedAt, DateTimeOffset? SoldAt);

public sealed record RemoveItemsRequest(IReadOnlyList<Guid> ItemIds);

public sealed record RemoveItemsResult(int Removed, int Stock);
