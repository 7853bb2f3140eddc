using Marketplace.Client.Models;
using Refit;

namespace Marketplace.Client.Api;

/// <summary>The caller's webhook endpoints and their delivery logs (docs/webhooks.md).</summary>
public interface IWebhooksApi
{
    [Post("/api/v1/webhooks")]
    Task<WebhookEndpointWithSecret> CreateAsync([Body] CreateWebhookEndpointRequest request, CancellationToken cancellationToken = default);

    [Get("/api/v1/webhooks")]
    Task<IReadOnlyList<WebhookEndpoint>> ListAsync(CancellationToken cancellationToken = default);

    [Get("/api/v1/webhooks/{id}")]
    Task<WebhookEndpoint> GetAsync(Guid id, CancellationToken cancellationToken = default);

    [Patch("/api/v1/webhooks/{id}")]
    Task<WebhookEndpoint> UpdateAsync(Guid id, [Body] UpdateWebhookEndpointRequest request, CancellationToken cancellationToken = default);

    [Delete("/api/v1/webhooks/{id}")]
    Task DeleteAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>A new secret; the previous one stays valid for 24 hours (deliveries carry both signatures).</summary>
    [Post("/api/v1/webhooks/{id}/rotate-secret")]
    Task<WebhookEndpointWithSecret> RotateSecretAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/v1/webhooks/{id}/test")]
    Task<WebhookDelivery> SendTestAsync(Guid id, CancellationToken cancellationToken = default);

    [Get("/api/v1/webhooks/{id}/deliveries")]
    Task<PagedList<WebhookDelivery>> ListDeliveriesAsync(Guid id, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default);

    [Post("/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver")]
    Task<WebhookDelivery> RedeliverAsync(Guid id, Guid deliveryId, CancellationToken cancellationToken = default);
}
