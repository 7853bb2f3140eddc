using Marketplace.Client.Models;
using Refit;

namespace Marketplace.Client.Api;

/// <summary>API keys: managed with a login token only (an API key cannot mint or revoke keys).</summary>
public interface IApiKeysApi
{
    [Post("/api/v1/api-keys")]
    Task<CreatedApiKey> CreateAsync([Body] CreateApiKeyRequest request, CancellationToken cancellationToken = default);

    [Get("/api/v1/api-keys")]
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default);

    [Get("/api/v1/api-keys/{id}")]
    Task<ApiKey> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The next request with the key is refused.</summary>
    [Delete("/api/v1/api-keys/{id}")]
    Task RevokeAsync(Guid id, CancellationToken cancellationToken = default);
}
