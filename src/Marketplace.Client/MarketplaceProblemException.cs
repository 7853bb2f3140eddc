using System.Net;
using Marketplace.Client.Models;

namespace Marketplace.Client;

/// <summary>
/// The service answered with an error: <see cref="Problem"/> is its RFC 9457 body. Branch on
/// <c>Problem.Code</c> (e.g. order.out_of_stock, rate_limited), never on the title or detail text.
/// </summary>
public sealed class MarketplaceProblemException(HttpStatusCode status, Problem problem, string method, Uri? uri)
    : Exception($"{method} {uri?.AbsolutePath} answered {(int)status} {problem.Code}: {problem.Detail ?? problem.Title}")
{
    public HttpStatusCode Status { get; } = status;
    public Problem Problem { get; } = problem;

    /// <summary>With 429: how long the service asked to wait.</summary>
    public TimeSpan? RetryAfter => Problem.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
