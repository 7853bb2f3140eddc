using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Client.Models;

namespace Marketplace.Client;

/// <summary>
/// Turns every error response into a <see cref="MarketplaceProblemException"/> carrying the service's
/// problem document, so callers of the typed API get one exception type with a code to branch on.
/// </summary>
public sealed class ProblemHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode || (int)response.StatusCode == 304) return response;

        Problem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try { problem = await response.Content.ReadFromJsonAsync<Problem>(MarketplaceJson.Options, cancellationToken); }
            catch (JsonException) { /* not a problem document: described below from the status alone */ }
        }
        problem ??= new Problem(null, response.ReasonPhrase ?? "Error", (int)response.StatusCode, null, null, "http_" + (int)response.StatusCode, null, "", null);
        using (response) throw new MarketplaceProblemException(response.StatusCode, problem, request.Method.Method, request.RequestUri);
    }
}
