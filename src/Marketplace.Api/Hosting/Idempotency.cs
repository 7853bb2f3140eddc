using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Infrastructure.Persistence.Idempotency;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Marketplace.Api.Hosting;

/// <summary>Marks an endpoint that honours the Idempotency-Key header.</summary>
public sealed class IdempotentMetadata;

/// <summary>
/// Idempotency-Key (docs/api.md "Idempotency"), for the endpoints marked with <see cref="WithIdempotency{TBuilder}"/>:
/// a retry of a request with the same key and the same request answers with the first response instead
/// of running again. One middleware, after authentication and authorization (keys belong to an account).
/// </summary>
public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const string KeyReusedCode = "idempotency_key_reused";
    public const string InProgressCode = "idempotency_request_in_progress";

    /// <summary>A bigger response is sent but not kept (the key is released); none of the covered endpoints comes near it.</summary>
    public const int MaxStoredResponseBytes = 256 * 1024;

    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IdempotentMetadata());

    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();

    /// <summary>1 to 255 printable ASCII characters (space to tilde).</summary>
    public static bool IsValidKey(string value) =>
        value.Length is >= 1 and <= IdempotencyRecord.MaxKeyLength && value.All(c => c is >= ' ' and <= '~');
}

public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint || endpoint.Metadata.GetMetadata<IdempotentMetadata>() is null
            || !context.Request.Headers.TryGetValue(Idempotency.HeaderName, out var values))
        {
            await next(context);
            return;
        }

        if (values.Count != 1 || !Idempotency.IsValidKey(values.ToString()))
        {
            await WriteInvalidKeyAsync(context);
            return;
        }

        // Authorization ran first, so a covered endpoint has an account here; without one, nothing to scope the key to.
        if (!Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var accountId))
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
        var hash = await RequestHashAsync(context.Request, context.RequestAborted);
        var start = await store.StartAsync(accountId, key, context.Request.Method, route, hash, context.RequestAborted);
        switch (start)
        {
            case IdempotencyStart.Replay replay:
                await ReplayAsync(context, replay.Response);
                return;
            case IdempotencyStart.InProgress:
                await WriteProblemAsync(context, StatusCodes.Status409Conflict, Idempotency.InProgressCode,
                    "A request with this Idempotency-Key is still being processed; retry it shortly.");
                return;
            case IdempotencyStart.Mismatch:
                await WriteProblemAsync(context, StatusCodes.Status422UnprocessableEntity, Idempotency.KeyReusedCode,
                    "This Idempotency-Key was used for a different request; use a new key for a new request.");
                return;
            case IdempotencyStart.Started started:
                await RunAndKeepAsync(context, started.RecordId);
                return;
        }
    }

    /// <summary>Runs the request with its response buffered, then keeps the response (unless it failed on our side) and sends it.</summary>
    private async Task RunAndKeepAsync(HttpContext context, Guid recordId)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            // The exception handler outside writes the answer; a retry with this key must be able to run again.
            context.Response.Body = original;
            await store.ReleaseAsync(recordId, CancellationToken.None);
            throw;
        }

        context.Response.Body = original;
        var status = context.Response.StatusCode;
        // Kept even when the client has gone away (the work is done): with CancellationToken.None.
        if (status >= 500 || buffer.Length > Idempotency.MaxStoredResponseBytes)
            await store.ReleaseAsync(recordId, CancellationToken.None);
        else
            await store.CompleteAsync(recordId, new IdempotentResponse(status, context.Response.ContentType,
                context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null, buffer.ToArray()), CancellationToken.None);

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext context, IdempotentResponse response)
    {
        context.Response.StatusCode = response.Status;
        if (response.ContentType is not null) context.Response.ContentType = response.ContentType;
        if (response.Location is not null) context.Response.Headers.Location = response.Location;
        context.Response.Headers[Idempotency.ReplayedHeader] = "true";
        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    /// <summary>SHA-256 of method, path and body: the same key must come with the same request.</summary>
    private static async Task<string> RequestHashAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0) hash.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task WriteInvalidKeyAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ValidationProblemDetails(new Dictionary<string, string[]>
            {
                [Idempotency.HeaderName] = [$"'{Idempotency.HeaderName}' must be one header of 1 to {IdempotencyRecord.MaxKeyLength} printable ASCII characters."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            },
        });
    }

    private async Task WriteProblemAsync(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = status == StatusCodes.Status409Conflict ? "Conflict" : "The request cannot be processed.", Detail = detail };
        problem.Extensions["code"] = code;
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}

/// <summary>Lists the optional Idempotency-Key header on the operations that honour it.</summary>
public sealed class IdempotencyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IdempotentMetadata>().Any()) return;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Idempotency.HeaderName,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Optional. A retry with the same key and the same body answers with the first response " +
                          "(header Idempotent-Replayed: true) instead of running again. 1 to 255 printable ASCII characters; kept 24 hours.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
        });
    }
}
