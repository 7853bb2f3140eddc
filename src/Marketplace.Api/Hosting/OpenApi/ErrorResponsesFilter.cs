using System.Text.Json.Nodes;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Marketplace.Api.Hosting.OpenApi;

/// <summary>
/// Every error an operation can answer is declared, each with the one error shape the service writes
/// (RFC 9457 ProblemDetails plus <c>code</c>, <c>errors</c> and <c>traceId</c>): 400 for any input,
/// 401 and 403 where a credential is needed (403: the role or the API key's scope does not allow it),
/// 404 for a resource in the path, 413 for a body, 429 where a rate limit applies. Codes an endpoint
/// declares itself (409, 422, ...) keep their place and get the same shape.
/// </summary>
public sealed class ErrorResponsesFilter : IOperationFilter
{
    public const string ProblemSchema = "Problem";
    private const string ProblemMediaType = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        EnsureProblemSchema(context.SchemaRepository);
        operation.Responses ??= [];
        var parameters = context.ApiDescription.ParameterDescriptions;
        var hasBody = operation.RequestBody is not null;
        var hasPathParameter = operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true;

        if (hasBody || parameters.Count > 0) Declare(operation, 400);
        if (SecurityRequirementsFilter.RequiresAuthorization(context))
        {
            Declare(operation, 401);
            Declare(operation, 403);
        }
        if (hasPathParameter) Declare(operation, 404);
        if (hasBody) Declare(operation, 413);
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<EnableRateLimitingAttribute>().Any()) Declare(operation, 429);

        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (!int.TryParse(status, out var code) || code < 400) continue;
            operation.Responses[status] = new OpenApiResponse
            {
                Description = Describe(code, (response as OpenApiResponse)?.Description),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemMediaType] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
                },
                Headers = code == 429 ? RetryAfterHeader() : null,
            };
        }
    }

    private static void Declare(OpenApiOperation operation, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses!.ContainsKey(key)) operation.Responses[key] = new OpenApiResponse { Description = Describe(status, null) };
    }

    private static string Describe(int status, string? declared) => status switch
    {
        400 => "The request is malformed or a field is invalid; `errors` names each field.",
        401 => "No valid credential: the access token or API key is missing, expired or revoked.",
        403 => "The caller is known but may not do this (its role, or the API key's scopes).",
        404 => "No such resource, or it is not the caller's to see.",
        409 => "The resource's current state does not allow this; `code` says why.",
        413 => "The request body is larger than the service accepts.",
        422 => "The request is well-formed but breaks a business rule; `code` and `errors` say which.",
        429 => "Too many requests; retry after the number of seconds in `Retry-After`.",
        _ => string.IsNullOrWhiteSpace(declared) ? "Error." : declared,
    };

    private static Dictionary<string, IOpenApiHeader> RetryAfterHeader() => new()
    {
        ["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
        },
    };

    private static void EnsureProblemSchema(SchemaRepository repository)
    {
        if (repository.Schemas.ContainsKey(ProblemSchema)) return;
        var text = new OpenApiSchema { Type = JsonSchemaType.String };
        repository.AddDefinition(ProblemSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem: what went wrong, a stable machine-readable code, and the invalid fields.",
            Required = new SortedSet<string> { "code", "status", "title", "traceId" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI naming the problem type." },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the problem." },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What happened in this occurrence." },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request path." },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A stable code to branch on, e.g. order.out_of_stock, rate_limited." },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Invalid fields: the field's path (e.g. price.amount, items[3]) and what is wrong with it.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = text },
                },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when asking support about this request." },
                ["retryAfterSeconds"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "With 429: seconds to wait." },
            },
            AdditionalPropertiesAllowed = true,
            Example = new JsonObject
            {
                ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                ["title"] = "One or more validation errors occurred.",
                ["status"] = 400,
                ["code"] = "validation_failed",
                ["errors"] = new JsonObject { ["price.amount"] = new JsonArray("The amount must be greater than 0.") },
                ["traceId"] = "0HNC9L2S1V8JQ:00000001",
            },
        });
    }
}
