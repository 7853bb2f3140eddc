using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Marketplace.Api.Hosting;

/// <summary>
/// The last problem-details writer: it always writes <c>application/problem+json</c>. The framework's
/// writer declines when the request's Accept header rules out JSON (<c>Accept: application/xml</c>),
/// and then an error would go out with an empty body, or a 404 and a 429 would turn into a 500. This
/// API speaks JSON only, so errors are JSON whatever the client asked for.
/// </summary>
public sealed class ProblemJsonFallbackWriter(IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Extensions.TryAdd("traceId", http.TraceIdentifier);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, json.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
    }
}
