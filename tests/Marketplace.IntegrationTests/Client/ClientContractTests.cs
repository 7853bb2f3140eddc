using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.Client;
using Marketplace.IntegrationTests.Infrastructure;
using Refit;

namespace Marketplace.IntegrationTests.Client;

/// <summary>
/// The typed client (src/Marketplace.Client) against the contract (docs/openapi.json, itself kept equal
/// to the served document): every client call names an operation that exists, with its query
/// parameters, and every client model has exactly the properties of its schema, nullable where the
/// schema allows null. A renamed route or field fails here before a reseller's build does.
/// </summary>
public sealed class ClientContractTests
{
    private static readonly JsonObject Document =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "openapi.json")))!.AsObject();

    private static readonly NullabilityInfoContext Nullability = new();

    public static TheoryData<string> ClientCalls()
    {
        var data = new TheoryData<string>();
        foreach (var method in ApiInterfaces().SelectMany(i => i.GetMethods())) data.Add($"{method.DeclaringType!.Name}.{method.Name}");
        return data;
    }

    [Theory]
    [MemberData(nameof(ClientCalls))]
    public void The_call_matches_an_operation_of_the_contract(string call)
    {
        var method = ApiInterfaces().SelectMany(i => i.GetMethods()).Single(m => $"{m.DeclaringType!.Name}.{m.Name}" == call);
        var http = method.GetCustomAttribute<HttpMethodAttribute>() ?? throw new Xunit.Sdk.XunitException($"{call}: no Refit verb");
        var operation = FindOperation(http.Method.Method.ToLowerInvariant(), http.Path)
                        ?? throw new Xunit.Sdk.XunitException($"{call}: {http.Method} {http.Path} is not an operation of docs/openapi.json");

        var pathNames = Placeholders(http.Path);
        var declared = operation["parameters"]?.AsArray().Select(p => (Name: p!["name"]!.GetValue<string>(), In: p["in"]!.GetValue<string>())).ToList() ?? [];
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.ParameterType == typeof(CancellationToken) || pathNames.Contains(parameter.Name!)) continue;
            if (parameter.GetCustomAttribute<BodyAttribute>() is not null && parameter.ParameterType == typeof(HttpContent))
            {
                Assert.True(operation["requestBody"] is not null, $"{call}: sends a body the operation does not take");
                continue;
            }
            if (parameter.GetCustomAttribute<BodyAttribute>() is not null)
            {
                var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"]
                             ?? throw new Xunit.Sdk.XunitException($"{call}: sends a body the operation does not take");
                AssertModelMatches(parameter.ParameterType, schema, $"{call} body");
                continue;
            }
            if (parameter.GetCustomAttribute<HeaderAttribute>() is { } header)
            {
                Assert.True(declared.Contains((header.Header, "header")), $"{call}: the operation declares no header {header.Header}");
                continue;
            }
            Assert.True(declared.Contains((parameter.Name!, "query")), $"{call}: the operation has no query parameter '{parameter.Name}'");
        }

        var returned = method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : null;
        if (returned is null || returned == typeof(JsonElement) || returned == typeof(HttpResponseMessage) || returned == typeof(Stream)) return;
        var success = operation["responses"]!.AsObject().First(r => r.Key.StartsWith('2')).Value;
        var responseSchema = success!["content"]?["application/json"]?["schema"]
                             ?? throw new Xunit.Sdk.XunitException($"{call}: expects a {returned.Name} but the operation returns no JSON");
        AssertModelMatches(returned, responseSchema, $"{call} response");
    }

    private static void AssertModelMatches(Type type, JsonNode schema, string where)
    {
        schema = Resolve(schema);
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (IsList(underlying, out var element))
        {
            Assert.True(schema["type"]?.GetValue<string>() == "array", $"{where}: a list in the client, not an array in the contract");
            AssertModelMatches(element, schema["items"]!, where + "[]");
            return;
        }
        // Scalars are checked by the property's schema type (below); dictionaries are free-form maps.
        if (underlying.Namespace != "Marketplace.Client.Models" || !underlying.IsClass) return;

        var properties = schema["properties"]!.AsObject();
        var clientProperties = underlying.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.SetMethod is not null || IsPrimaryConstructorProperty(underlying, p))
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
        var missing = properties.Select(p => p.Key).Except(clientProperties.Keys).ToList();
        var extra = clientProperties.Keys.Except(properties.Select(p => p.Key)).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{where}: {underlying.Name} differs from its schema. Missing in the client: [{string.Join(", ", missing)}]; not in the contract: [{string.Join(", ", extra)}]");

        foreach (var (name, property) in clientProperties)
        {
            var propertySchema = Resolve(properties[name]!);
            var nullableInContract = properties[name]!["nullable"]?.GetValue<bool>() == true || propertySchema["nullable"]?.GetValue<bool>() == true;
            var nullableInClient = property.PropertyType.IsValueType
                ? Nullable.GetUnderlyingType(property.PropertyType) is not null
                : Nullability.Create(property).ReadState != NullabilityState.NotNull;
            Assert.True(!nullableInContract || nullableInClient, $"{where}: {underlying.Name}.{property.Name} can be null in the contract but not in the client");
            AssertScalarMatches(property.PropertyType, propertySchema, $"{where}: {underlying.Name}.{property.Name}");
            AssertModelMatches(property.PropertyType, properties[name]!, $"{where}.{name}");
        }
    }

    private static void AssertScalarMatches(Type type, JsonNode schema, string where)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var kind = schema["type"]?.GetValue<string>();
        var format = schema["format"]?.GetValue<string>();
        var expected = t switch
        {
            _ when t == typeof(decimal) => ("number", "decimal"),
            _ when t == typeof(int) || t == typeof(long) => ("integer", null),
            _ when t == typeof(bool) => ("boolean", null),
            _ when t == typeof(Guid) => ("string", "uuid"),
            _ when t == typeof(DateTimeOffset) => ("string", "date-time"),
            _ when t == typeof(string) || t == typeof(Uri) => ("string", null),
            _ => ((string?)null, (string?)null),
        };
        if (expected.Item1 is null) return;
        Assert.True(kind == expected.Item1, $"{where}: {t.Name} in the client, {kind} in the contract");
        if (expected.Item2 is not null) Assert.True(format == expected.Item2, $"{where}: {t.Name} in the client, format {format} in the contract");
    }

    private static bool IsPrimaryConstructorProperty(Type type, PropertyInfo property) =>
        type.GetConstructors().Any(c => c.GetParameters().Any(p => string.Equals(p.Name, property.Name, StringComparison.Ordinal)));

    private static bool IsList(Type type, out Type element)
    {
        element = type.IsArray ? type.GetElementType()! : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : typeof(void);
        return element != typeof(void) && type != typeof(string);
    }

    private static JsonNode Resolve(JsonNode schema)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
            return Document["components"]!["schemas"]![reference[(reference.LastIndexOf('/') + 1)..]]!;
        if (schema["allOf"] is JsonArray { Count: 1 } allOf) return Resolve(allOf[0]!);
        return schema;
    }

    private static JsonObject? FindOperation(string verb, string path)
    {
        var shape = Shape(path);
        return Document["paths"]!.AsObject()
            .Where(p => Shape(p.Key) == shape)
            .Select(p => p.Value?[verb]?.AsObject())
            .FirstOrDefault(o => o is not null);
    }

    private static string Shape(string path) => System.Text.RegularExpressions.Regex.Replace(path.TrimEnd('/'), "{[^}]+}", "{}");

    private static HashSet<string> Placeholders(string path) =>
        System.Text.RegularExpressions.Regex.Matches(path, "{([^}:]+)").Select(m => m.Groups[1].Value).ToHashSet();

    private static IEnumerable<Type> ApiInterfaces() =>
        typeof(MarketplaceClient).Assembly.GetTypes().Where(t => t.IsInterface && t.Namespace == "Marketplace.Client.Api");
}
