using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document is a contract storefronts generate clients from. docs/openapi.json is its
/// committed copy: it must equal what the service serves (run with MARKETPLACE_UPDATE_OPENAPI=1 to
/// rewrite it after a deliberate change, then review the diff), and it must keep the rules a client
/// generator depends on. <see cref="OpenApiLintTests"/> lints the committed copy and compiles a
/// TypeScript client generated from it.
/// </summary>
public sealed partial class OpenApiContractTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;
    private JsonObject _document = null!;
    private string _served = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres);
        _served = await _app.CreateClient().GetStringAsync("/swagger/v1/swagger.json");
        _document = JsonNode.Parse(_served)!.AsObject();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void The_committed_document_is_the_served_one()
    {
        var path = Path.Combine(RepositoryFiles.Root, "docs", "openapi.json");
        var served = Canonical(_served);
        if (Environment.GetEnvironmentVariable("MARKETPLACE_UPDATE_OPENAPI") == "1") File.WriteAllText(path, served);

        var committed = File.Exists(path) ? Canonical(File.ReadAllText(path)) : "";
        Assert.True(committed == served,
            "docs/openapi.json differs from the document the service serves. If the change is deliberate, run the tests with " +
            "MARKETPLACE_UPDATE_OPENAPI=1 and commit the new file.\n" + FirstDifference(committed, served));
    }

    [Fact]
    public void Every_operation_is_named_described_and_tagged()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var tags = _document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToHashSet();
        foreach (var (name, operation) in Operations())
        {
            var id = operation["operationId"]?.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(id), $"{name}: no operationId");
            Assert.Matches(OperationIdPattern(), id);
            Assert.True(ids.Add(id!), $"{name}: operationId {id} is used twice");
            var summary = operation["summary"]?.GetValue<string>() ?? "";
            Assert.True(summary.Length is > 0 and <= 80, $"{name}: the summary must be a short phrase (1-80 characters), not '{summary}'");
            Assert.False(string.IsNullOrWhiteSpace(operation["description"]?.GetValue<string>()), $"{name}: no description");
            var operationTags = operation["tags"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
            Assert.True(operationTags.Count == 1 && tags.Contains(operationTags[0]), $"{name}: one declared tag expected");
        }
        Assert.All(_document["tags"]!.AsArray(), tag => Assert.False(string.IsNullOrWhiteSpace(tag!["description"]?.GetValue<string>())));
    }

    [Fact]
    public void Money_is_never_a_double_and_schema_names_are_plain()
    {
        Assert.DoesNotContain("\"double\"", _served, StringComparison.Ordinal);
        Assert.DoesNotContain("\"float\"", _served, StringComparison.Ordinal);
        var schemas = _document["components"]!["schemas"]!.AsObject();
        Assert.All(schemas.Select(s => s.Key), name => Assert.Matches(SchemaNamePattern(), name));

        var amount = schemas["MoneyDto"]!["properties"]!["amount"]!;
        Assert.Equal("number", amount["type"]!.GetValue<string>());
        Assert.Equal("decimal", amount["format"]!.GetValue<string>());
    }

    [Fact]
    public void Responses_carry_every_property_and_null_only_where_it_means_something()
    {
        var order = _document["components"]!["schemas"]!["OrderDto"]!;
        var required = order["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToHashSet();
        var properties = order["properties"]!.AsObject();
        Assert.Equal(properties.Select(p => p.Key).ToHashSet(), required);
        Assert.Null(properties["id"]!["nullable"]);
        Assert.True(properties["deliveredAt"]!["nullable"]!.GetValue<bool>());

        var placeOrder = _document["components"]!["schemas"]!["PlaceOrderCommand"]!;
        Assert.Contains("listingId", placeOrder["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        var listing = _document["components"]!["schemas"]!["CreateListingCommand"]!;
        Assert.DoesNotContain("description", listing["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void Every_error_an_operation_can_give_is_declared_with_the_problem_shape()
    {
        foreach (var (name, operation) in Operations())
        {
            var responses = operation["responses"]!.AsObject();
            var secured = operation["security"]?.AsArray().Count > 0;
            if (secured)
            {
                Assert.True(responses.ContainsKey("401"), $"{name}: needs a credential but declares no 401");
                Assert.True(responses.ContainsKey("403"), $"{name}: needs a credential but declares no 403");
            }
            if (name.Contains('{', StringComparison.Ordinal)) Assert.True(responses.ContainsKey("404"), $"{name}: has a path id but declares no 404");
            if (operation["requestBody"] is not null) Assert.True(responses.ContainsKey("400"), $"{name}: takes a body but declares no 400");

            foreach (var (status, response) in responses.Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5')))
            {
                var schema = response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>();
                Assert.True(schema == "#/components/schemas/Problem", $"{name} {status}: not the Problem shape");
            }
        }

        var problem = _document["components"]!["schemas"]!["Problem"]!["properties"]!.AsObject();
        Assert.True(problem.ContainsKey("code") && problem.ContainsKey("errors") && problem.ContainsKey("traceId"));
    }

    [Fact]
    public void Every_request_body_has_an_example_and_secured_operations_name_their_scheme()
    {
        var schemas = _document["components"]!["schemas"]!.AsObject();
        foreach (var (name, operation) in Operations())
        {
            var body = operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
            if (body is not null)
            {
                var schemaName = body[(body.LastIndexOf('/') + 1)..];
                Assert.True(schemas[schemaName]?["example"] is not null, $"{name}: request body {schemaName} has no example");
            }
            foreach (var requirement in operation["security"]?.AsArray() ?? [])
                Assert.All(requirement!.AsObject(), scheme => Assert.NotNull(_document["components"]!["securitySchemes"]![scheme.Key]));
        }
        Assert.NotEmpty(_document["servers"]!.AsArray());
    }

    private IEnumerable<(string Name, JsonObject Operation)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(op => ($"{op.Key.ToUpperInvariant()} {path.Key}", op.Value!.AsObject())));

    /// <summary>Indented with "\n" line ends and a final newline, whatever wrote it.</summary>
    private static string Canonical(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReplaceLineEndings("\n") + "\n";

    private static string FirstDifference(string committed, string served)
    {
        var a = committed.Split('\n');
        var b = served.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end>";
            var right = i < b.Length ? b[i] : "<end>";
            if (left != right) return $"First difference at line {i + 1}:\n  committed: {left.Trim()}\n  served:    {right.Trim()}";
        }
        return "";
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*$")]
    private static partial Regex OperationIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex SchemaNamePattern();
}
