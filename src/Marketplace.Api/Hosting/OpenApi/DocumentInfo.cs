using Marketplace.Application.Common.Models;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Marketplace.Api.Hosting.OpenApi;

/// <summary>
/// The document's frame: title (SANDBOX is never missed), servers, tags with what each area is for,
/// and no leftover schemas of the framework's own error types (every error is a <c>Problem</c>).
/// </summary>
public sealed class DocumentInfo : IDocumentFilter
{
    public const string Summary = "Peer-to-peer trades of digital goods paid by wallet transfers with a unique comment.";

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Accounts", "Registration, sessions (login, refresh, logout) and passwords."),
        ("API keys", "Long-lived, scoped credentials for automation; shown once, revocable at once."),
        ("Listings", "Goods for sale: the public catalog, and a seller's listings and their stock of unique items."),
        ("Orders", "Reserving items, paying by wallet transfer with the order's comment, delivery, confirmation and claims."),
        ("Disputes", "When delivered goods do not work or money was paid for nothing: the thread, remedies and decisions."),
        ("Sellers", "Public seller profiles and reputation."),
        ("Wallets", "A seller's connected wallets and the reconciliation of every incoming transfer."),
        ("Webhooks", "Signed notifications of order, dispute, stock and wallet events to the caller's own endpoints."),
        ("Payment notifications", "Push notifications from payment rails; called by the rail, not by clients."),
        ("Service", "The service's operating mode and payment providers."),
    ];

    public static OpenApiInfo For(OperatingMode mode) => new()
    {
        Title = ApiServiceCollectionExtensions.ApiTitle(mode),
        Version = "v1",
        Description = mode.IsSandbox
            ? "**SANDBOX**: wallets are emulated and payments are play money; nothing here is paid for with real money. " + Summary
            : Summary,
        License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://example.org/marketplace/license") },
        Contact = new OpenApiContact { Name = "Marketplace API support", Email = "api@example.org", Url = new Uri("https://example.org/marketplace/support") },
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        // Relative: the document describes whichever host serves it (a sandbox, a staging or a live instance).
        document.Servers = [new OpenApiServer { Url = "/", Description = "The host serving this document." }];

        var used = document.Paths.Values
            .SelectMany(path => path.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(operation => operation.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(tag => tag.Name)
            .ToHashSet(StringComparer.Ordinal);
        // Alphabetical, as linters and most documentation viewers expect.
        document.Tags = new HashSet<OpenApiTag>(Tags
            .Where(tag => used.Contains(tag.Name))
            .OrderBy(tag => tag.Name, StringComparer.OrdinalIgnoreCase)
            .Select(tag => new OpenApiTag { Name = tag.Name, Description = tag.Description }));

        foreach (var frameworkProblem in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
            document.Components?.Schemas?.Remove(frameworkProblem);
    }
}
