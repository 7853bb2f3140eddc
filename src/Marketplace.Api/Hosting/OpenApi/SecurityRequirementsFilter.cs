using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Marketplace.Api.Hosting.OpenApi;

/// <summary>
/// Each operation says whether it needs a credential: anonymous ones (register, login, the catalog,
/// rail notifications) declare none, every other one the bearer scheme (a login token or an API key).
/// </summary>
public sealed class SecurityRequirementsFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Security = RequiresAuthorization(context)
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [] }]
            : [];
    }

    public static bool RequiresAuthorization(OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        // The last word wins, as in the authorization middleware: AllowAnonymous overrides RequireAuthorization.
        return metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
    }
}
