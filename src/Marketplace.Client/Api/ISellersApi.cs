using System.Text.Json;
using Refit;

namespace Marketplace.Client.Api;

/// <summary>Public seller profiles.</summary>
public interface ISellersApi
{
    /// <summary>The profile as a JSON document (rating, completed orders, dispute and refund rates, latest ratings).</summary>
    [Get("/api/v1/sellers/{id}")]
    Task<JsonElement> GetProfileAsync(Guid id, CancellationToken cancellationToken = default);
}
