using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Marketplace.Api.Hosting.OpenApi;

/// <summary>
/// Describes parameters by their name: the API uses each name with one meaning everywhere (page,
/// pageSize, status, ...), and a path id is the id of the resource named just before it
/// (/orders/{id} is an order's id). A parameter left undescribed fails the contract lint, so a new
/// name gets its line here.
/// </summary>
public sealed class ParameterDescriptionsFilter : IOperationFilter
{
    private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
    {
        ["page"] = "The page to return, from 1.",
        ["pageSize"] = "Items per page (1-100).",
        ["cursor"] = "The nextCursor of the previous page; omit it for the first page.",
        ["status"] = "Only entries in this status.",
        ["role"] = "Only orders where the caller is the buyer or the seller (buyer|seller).",
        ["queue"] = "Moderators: the queue of escalated disputes instead of the caller's own.",
        ["inbox"] = "Only transfers waiting in the seller's inbox (unmatched, not yet attached or resolved).",
        ["outcome"] = "Only transfers the matcher recorded with this outcome.",
        ["category"] = "Only listings of this category (a short slug such as game-keys).",
        ["inStock"] = "Only listings with at least one item available.",
        ["q"] = "Words to find in the title or description (case-insensitive).",
        ["minPrice"] = "Only listings priced at least this much (an exact decimal).",
        ["maxPrice"] = "Only listings priced at most this much (an exact decimal).",
        ["currency"] = "Only listings priced in this currency (RUB, USD, EUR, KZT).",
        ["sellerId"] = "Only this seller's listings.",
        ["sort"] = "The order: newest (default), price_asc, price_desc or rating.",
        ["includeArchived"] = "Include archived listings.",
        ["method"] = "The payment rail's id (qiwi).",
        ["walletId"] = "The id of the connected wallet the notification is about.",
        ["transferId"] = "The id of the recorded transfer (from the wallet's transfers).",
        ["itemId"] = "The id of the item.",
        ["deliveryId"] = "The id of the webhook delivery.",
        ["Idempotency-Key"] = "A unique key for this request (1-255 printable characters): a retry with the same key and body returns the first response instead of doing it twice.",
        ["If-None-Match"] = "The ETag of a copy the client holds: 304 Not Modified when it is still current.",
        ["If-Match"] = "The ETag of the copy the change is based on: 412 when it is no longer current.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Parameters is null) return;
        var segments = (context.ApiDescription.RelativePath ?? "").Split('/');
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            if (!string.IsNullOrWhiteSpace(parameter.Description)) continue;
            parameter.Description = parameter is { In: ParameterLocation.Path, Name: "id" }
                ? $"The id of the {Resource(segments, parameter.Name!)}."
                : Meanings.GetValueOrDefault(parameter.Name ?? "");
        }
    }

    /// <summary>"orders" before "{id}" names an order.</summary>
    private static string Resource(string[] segments, string name)
    {
        var index = Array.FindIndex(segments, s => s.StartsWith("{" + name, StringComparison.Ordinal));
        var collection = index > 0 ? segments[index - 1] : "resource";
        var singular = collection.EndsWith("ies", StringComparison.Ordinal) ? collection[..^3] + "y"
            : collection.EndsWith('s') ? collection[..^1] : collection;
        return singular.Replace('-', ' ');
    }
}
