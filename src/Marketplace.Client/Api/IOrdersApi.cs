using Marketplace.Client.Models;
using Refit;

namespace Marketplace.Client.Api;

/// <summary>
/// Orders as buyer and seller. Calls that change money-related state take an optional idempotency key:
/// pass the same key when retrying after a timeout and the service answers with the first response
/// instead of reserving twice.
/// </summary>
public interface IOrdersApi
{
    [Post("/api/v1/orders")]
    Task<Order> PlaceAsync([Body] PlaceOrderRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    [Get("/api/v1/orders")]
    Task<PagedList<Order>> ListAsync(string? role = null, string? status = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default);

    [Get("/api/v1/orders/{id}")]
    Task<Order> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The delivered items' plaintext: the buyer only; each first reveal is recorded.</summary>
    [Get("/api/v1/orders/{id}/items")]
    Task<IReadOnlyList<DeliveredItem>> GetItemsAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/v1/orders/{id}/cancel")]
    Task<Order> CancelAsync(Guid id, [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken cancellationToken = default);

    [Post("/api/v1/orders/{id}/confirm")]
    Task<Order> ConfirmReceiptAsync(Guid id, [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken cancellationToken = default);

    [Post("/api/v1/orders/{id}/rating")]
    Task RateSellerAsync(Guid id, [Body] RatingRequest request, CancellationToken cancellationToken = default);

    [Post("/api/v1/orders/{id}/disputes")]
    Task<Dispute> OpenDisputeAsync(Guid id, [Body] OpenDisputeRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    [Post("/api/v1/orders/{id}/payment-claims")]
    Task<Order> ClaimPaymentAsync(Guid id, [Body] ClaimPaymentRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);
}
