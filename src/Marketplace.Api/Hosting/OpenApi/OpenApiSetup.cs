using Marketplace.Application.Common.Models;
using Microsoft.OpenApi;

namespace Marketplace.Api.Hosting.OpenApi;

/// <summary>
/// The OpenAPI document is a contract clients are generated from (docs/openapi.json is the committed
/// copy, checked against the live one by the tests and linted with Redocly and Spectral). Everything
/// that shapes it lives in this folder: schema names, exact money, required fields, error responses,
/// security and examples.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddMarketplaceOpenApi(this IServiceCollection services, OperatingMode mode)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc(DocumentName, DocumentInfo.For(mode));
            swagger.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An access token from POST /api/v1/auth/login (or /auth/refresh), or an API key (`mkp_...`) from POST /api/v1/api-keys.",
            });
            swagger.CustomSchemaIds(SchemaNames.For);
            swagger.SupportNonNullableReferenceTypes();
            // Money is exact: a JSON number to be read as a decimal, never a binary floating-point double.
            swagger.MapType<decimal>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Number,
                Format = "decimal",
                Description = "An exact decimal number (at most 2 fraction digits for money). Read it as a decimal type, not a binary float.",
            });
            swagger.MapType<decimal?>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Number | JsonSchemaType.Null,
                Format = "decimal",
                Description = "An exact decimal number (at most 2 fraction digits for money). Read it as a decimal type, not a binary float.",
            });
            swagger.SchemaFilter<RequiredPropertiesFilter>();
            swagger.SchemaFilter<SchemaExamples>();
            swagger.OperationFilter<SecurityRequirementsFilter>();
            swagger.OperationFilter<ErrorResponsesFilter>();
            swagger.OperationFilter<ParameterDescriptionsFilter>();
            swagger.OperationFilter<IdempotencyOperationFilter>();
            swagger.OperationFilter<ApiScopeDescriptionFilter>();
            swagger.DocumentFilter<DocumentInfo>();
        });
        return services;
    }
}
