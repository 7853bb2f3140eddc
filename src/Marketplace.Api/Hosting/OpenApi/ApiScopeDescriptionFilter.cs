using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Marketplace.Api.Hosting.OpenApi;

/// <summary>
/// Says in each secured operation which API key scope it needs, or that it takes a login token only
/// (account, session and API-key management), so a reseller knows which scopes to give a key.
/// </summary>
public sealed class ApiScopeDescriptionFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!SecurityRequirementsFilter.RequiresAuthorization(context)) return;
        var scope = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ApiScopeMetadata>().LastOrDefault()?.Scope;
        var note = scope is null
            ? "Login token only: API keys are refused (403 api_key.login_required)."
            : $"API key scope: `{scope}`.";
        operation.Description = string.IsNullOrWhiteSpace(operation.Description) ? note : operation.Description.TrimEnd() + "\n\n" + note;
    }
}
