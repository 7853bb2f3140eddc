using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Client.Models;

namespace Marketplace.Client;

/// <summary>
/// Turns every error response into a <see cref="MarketplaceProblemException"/> carrying the service's
/// problem document (Refit's exception factory), so callers of the typed API catch one exception type
/// with a code to branch on.
/// </summary>
public static class ProblemExceptionFactory
{
    public static async ValueTask<Exception?> CreateAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode || (int)response.StatusCode == 304) return null;

        Problem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try { problem = await response.Content.ReadFromJsonAsync<Problem>(MarketplaceJson.Options); }
            catch (JsonException) { /* not a problem document: described below from the status alone */ }
        }
        problem ??= new Problem(null, response.ReasonPhrase ?? "Error", (int)response.StatusCode, null, null, "http_" + (int)response.StatusCode, null, "", null);
        var request = response.RequestMessage;
        return new MarketplaceProblemException(response.StatusCode, problem, request?.Method.Method ?? "", request?.RequestUri);
    }
}
