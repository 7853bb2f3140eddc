using Marketplace.Client.Models;
using Refit;

namespace Marketplace.Client.Api;

/// <summary>The public catalog, and a seller's listings and stock.</summary>
public interface IListingsApi
{
    /// <param name="sort">price_asc, price_desc, newest or rating.</param>
    /// <param name="cursor">The previous page's nextCursor.</param>
    [Get("/api/v1/listings")]
    Task<CatalogPage> SearchAsync(string? q = null, string? category = null, decimal? minPrice = null, decimal? maxPrice = null,
        string? currency = null, Guid? sellerId = null, bool inStock = false, string? sort = null, string? cursor = null, int pageSize = 20,
        CancellationToken cancellationToken = default);

    [Get("/api/v1/listings/{id}")]
    Task<Listing> GetAsync(Guid id, CancellationToken cancellationToken = default);

    [Get("/api/v1/listings/mine")]
    Task<PagedList<Listing>> ListMineAsync(int page = 1, int pageSize = 20, bool includeArchived = false, CancellationToken cancellationToken = default);

    [Post("/api/v1/listings")]
    Task<Listing> CreateAsync([Body] CreateListingRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    /// <param name="ifMatch">The ETag the change is based on: a concurrent edit makes it fail with 412 instead of being overwritten.</param>
    [Patch("/api/v1/listings/{id}")]
    Task<Listing> EditAsync(Guid id, [Body] EditListingRequest request, [Header("If-Match")] string? ifMatch = null,
        CancellationToken cancellationToken = default);

    [Post("/api/v1/listings/{id}/pause")]
    Task<Listing> PauseAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/v1/listings/{id}/resume")]
    Task<Listing> ResumeAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/v1/listings/{id}/archive")]
    Task<Listing> ArchiveAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/v1/listings/{id}/items")]
    Task<AddItemsResult> AddItemsAsync(Guid id, [Body] AddItemsRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    /// <summary>A text/plain (one key per line) or text/csv upload of up to 100,000 keys, streamed.</summary>
    [Post("/api/v1/listings/{id}/items/import")]
    Task<ImportResult> ImportAsync(Guid id, [Body] HttpContent keys, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    [Get("/api/v1/listings/{id}/items")]
    Task<PagedList<ListingItem>> ListItemsAsync(Guid id, string? status = null, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default);

    /// <summary>The seller's own keys in plaintext, as CSV: id, status, order, times, key.</summary>
    [Get("/api/v1/listings/{id}/items/export")]
    Task<Stream> ExportItemsAsync(Guid id, CancellationToken cancellationToken = default);

    [Delete("/api/v1/listings/{id}/items/{itemId}")]
    Task<RemoveItemsResult> RemoveItemAsync(Guid id, Guid itemId, CancellationToken cancellationToken = default);

    [Post("/api/v1/listings/{id}/items/remove")]
    Task<RemoveItemsResult> RemoveItemsAsync(Guid id, [Body] RemoveItemsRequest request, CancellationToken cancellationToken = default);
}
