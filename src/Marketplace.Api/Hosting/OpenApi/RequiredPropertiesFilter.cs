using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Marketplace.Api.Hosting.OpenApi;

/// <summary>
/// Marks what a client can rely on. A response always carries every property (null is written, not
/// omitted), so every property of a response type is required, and nullable only where null means
/// something. A request type (…Command, …Request) requires what it cannot do without: a property that is
/// neither nullable nor given a default by the record's constructor.
/// </summary>
public sealed class RequiredPropertiesFilter : ISchemaFilter
{
    private static readonly NullabilityInfoContext Nullability = new();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target || context.Type is not { IsClass: true } type) return;

        var constructorDefaults = type.GetConstructors()
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()?.GetParameters()
            .Where(p => p.HasDefaultValue && p.Name is not null)
            .Select(p => p.Name!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        var isRequest = IsRequestType(type);

        target.Required ??= new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null) continue;
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!target.Properties!.ContainsKey(name)) continue;

            var required = !isRequest || (!IsNullable(property) && !constructorDefaults.Contains(property.Name));
            if (required) target.Required.Add(name);
        }
    }

    /// <summary>Types read from request bodies, by the naming the endpoints follow.</summary>
    public static bool IsRequestType(Type type) =>
        type.Name.EndsWith("Command", StringComparison.Ordinal) || type.Name.EndsWith("Request", StringComparison.Ordinal);

    private static bool IsNullable(PropertyInfo property) =>
        property.PropertyType.IsValueType
            ? Nullable.GetUnderlyingType(property.PropertyType) is not null
            : Nullability.Create(property).ReadState != NullabilityState.NotNull;
}
