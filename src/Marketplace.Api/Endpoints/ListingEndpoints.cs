using System.Globalization;
using System.Text;
using Marketplace.Api.Hosting;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Listings;
using Marketplace.Application.Listings.AddListingItems;
using Marketplace.Application.Listings.ChangeListingStatus;
using Marketplace.Application.Listings.CreateListing;
using Marketplace.Application.Listings.EditListing;
using Marketplace.Application.Listings.GetCatalog;
using Marketplace.Application.Listings.GetListing;
using Marketplace.Application.Listings.Items;
using Marketplace.Application.Listings.ListMyListings;
using Marketplace.Domain.Accounts;
using Marketplace.Domain.Listings;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Api.Endpoints;

public static class ListingEndpoints
{
    public sealed record AddItemsRequest(IReadOnlyList<string> Items);

    public sealed record RemoveItemsRequest(IReadOnlyList<Guid> ItemIds);

    /// <summary>Every field optional: absent fields stay as they are.</summary>
    public sealed record EditListingRequest(
        string? Title, string? Description, string? Category, MoneyDto? Price, int? PaymentWindowMinutes, int? MaxQuantityPerOrder,
        int? ProtectionHours);

    public static void MapListingEndpoints(this RouteGroupBuilder api)
    {
        var listings = api.MapGroup("/listings").WithTags("Listings");

        listings.MapPost("/", async (CreateListingCommand command, ISender sender, CancellationToken ct) =>
            {
                var listing = await sender.Send(command, ct);
                return Results.Created($"/api/v1/listings/{listing.Id}", listing);
            })
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsWrite)
            .WithIdempotency()
            .WithName("CreateListing")
            .WithSummary("Create a listing")
            .WithDescription("Create a listing paid into one of the caller's wallets.")
            .Produces<ListingDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        listings.MapGet("/mine", async (ISender sender, CancellationToken ct, int page = 1, int pageSize = 20, bool includeArchived = false) =>
                Results.Ok(await sender.Send(new ListMyListingsQuery(page, pageSize, includeArchived), ct)))
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsRead)
            .WithName("ListMyListings")
            .WithSummary("List the caller's own listings")
            .WithDescription("The caller's own listings, newest first; archived ones only with includeArchived=true.")
            .Produces<PagedResult<ListingDto>>()
            .ProducesValidationProblem();

        listings.MapPatch("/{id}", async (Guid id, EditListingRequest body, HttpContext http, ISender sender, CancellationToken ct,
                [FromHeader(Name = "If-Match")] string? ifMatch = null) =>
            {
                var view = await sender.Send(new EditListingCommand(id, body.Title, body.Description, body.Category, body.Price,
                    body.PaymentWindowMinutes, body.MaxQuantityPerOrder, body.ProtectionHours, ifMatch), ct);
                http.Response.Headers.ETag = view.ETag;
                return Results.Ok(view.Listing);
            })
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsWrite)
            .WithName("EditListing")
            .WithSummary("Edit a listing")
            .WithDescription("Edit a listing (seller only). A new price applies to orders placed from now on. If-Match: the ETag read; 412 when it changed.")
            .Produces<ListingDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        MapStatusChange(listings, "pause", ListingStatusChange.Pause, "PauseListing", "Pause a listing",
            "The seller pauses a listing: no new orders until resumed; orders already placed run their course.");
        MapStatusChange(listings, "resume", ListingStatusChange.Resume, "ResumeListing", "Resume a paused listing",
            "The seller resumes a paused listing (a wallet that needs attention still keeps it from being ordered).");
        MapStatusChange(listings, "archive", ListingStatusChange.Archive, "ArchiveListing", "Archive a listing",
            "The seller archives a listing for good: never orderable again, gone from the catalog, still readable by id.");

        listings.MapPost("/{id}/items", async (Guid id, AddItemsRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new AddListingItemsCommand(id, body.Items), ct)))
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsWrite)
            .WithIdempotency()
            .WithName("AddListingItems")
            .WithSummary("Add items to a listing")
            .WithDescription("Add unique items (keys, codes) to a listing's stock; duplicates are skipped and counted.")
            .Produces<AddListingItemsResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        listings.MapPost("/{id}/items/import", async (Guid id, HttpRequest request, ISender sender, CancellationToken ct) =>
            {
                var format = ImportFormat(request.ContentType);
                if (format is null)
                    return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                        detail: "Send the keys as text/plain (one per line) or text/csv (a 'key' column, or the first column).");
                using var reader = new StreamReader(request.BodyReader.AsStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true,
                    bufferSize: 64 * 1024);
                return Results.Ok(await sender.Send(new ImportListingItemsCommand(id, reader, format.Value), ct));
            })
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsWrite)
            .WithIdempotency()
            .Accepts<string>("text/plain", "text/csv")
            .WithName("ImportListingItems")
            .WithSummary("Import keys from a text or CSV file")
            .WithDescription("Bulk import of keys (text/plain, one per line, or text/csv); repeats and keys already held or sold are reported by line.")
            .Produces<ImportListingItemsResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        listings.MapGet("/{id}/items", async (Guid id, ISender sender, CancellationToken ct, ListingItemStatus? status = null, int page = 1,
                int pageSize = 50) =>
                Results.Ok(await sender.Send(new ListListingItemsQuery(id, status, page, pageSize), ct)))
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsRead)
            .WithName("ListListingItems")
            .WithSummary("List a listing's items")
            .WithDescription("A listing's items (seller only): status, keyed hash, order; never the key itself.")
            .Produces<PagedResult<ListingItemDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        listings.MapGet("/{id}/items/export", async (Guid id, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var export = await sender.Send(new ExportListingItemsQuery(id), ct);
                return Results.Stream(async body => await WriteCsvAsync(body, export, ct), "text/csv; charset=utf-8",
                    $"listing-{export.ListingId:N}-items.csv");
            })
            .RequireAuthorization()
            .WithName("ExportListingItems")
            .WithSummary("Export a listing's keys as CSV")
            .WithDescription("The seller's own keys in plaintext with status and order, as CSV (seller only).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);

        listings.MapDelete("/{id}/items/{itemId}", async (Guid id, Guid itemId, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new RemoveListingItemsCommand(id, [itemId]), ct)))
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsWrite)
            .WithName("RemoveListingItem")
            .WithSummary("Remove an unsold item")
            .WithDescription("Remove one unsold item from stock (seller only); reserved or sold is a 409.")
            .Produces<RemoveListingItemsResult>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        listings.MapPost("/{id}/items/remove", async (Guid id, RemoveItemsRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new RemoveListingItemsCommand(id, body.ItemIds), ct)))
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsWrite)
            .WithName("RemoveListingItems")
            .WithSummary("Remove unsold items")
            .WithDescription("Remove unsold items from stock (seller only), all or none; any reserved or sold is a 409.")
            .Produces<RemoveListingItemsResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        listings.MapGet("/", async (HttpContext http, ISender sender, CancellationToken ct, int page = 1, int pageSize = 20, string? category = null,
                bool inStock = false, string? q = null, decimal? minPrice = null, decimal? maxPrice = null, string? currency = null, Guid? sellerId = null,
                string? sort = null, string? cursor = null) =>
            {
                var result = await sender.Send(new GetCatalogQuery(page, pageSize, category, inStock, q, minPrice, maxPrice, currency, sellerId, sort, cursor), ct);
                return ETags.Conditional(http, $"\"{ListingETag.Hash(result)}\"", result);
            })
            .CacheOutput(CatalogCache.Policy)
            .WithName("SearchCatalog")
            .WithSummary("Search the catalog")
            .WithDescription("The public catalog: search, filters, sorts, keyset paging (cursor). Shows stock counts, never items. ETag / If-None-Match. Answers may come from a cache of a few seconds (`Age` header); a change made through this instance shows at once.")
            .Produces<CatalogPage>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem();

        listings.MapGet("/{id}", async (Guid id, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var view = await sender.Send(new GetListingQuery(id), ct);
                return ETags.Conditional(http, view.ETag, view.Listing);
            })
            .WithName("GetListing")
            .WithSummary("Get a listing")
            .WithDescription("One listing, in any status. ETag / If-None-Match.")
            .Produces<ListingDto>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static void MapStatusChange(RouteGroupBuilder listings, string action, ListingStatusChange change, string name, string summary,
        string description) =>
        listings.MapPost($"/{{id}}/{action}", async (Guid id, HttpContext http, ISender sender, CancellationToken ct) =>
            {
                var view = await sender.Send(new ChangeListingStatusCommand(id, change), ct);
                http.Response.Headers.ETag = view.ETag;
                return Results.Ok(view.Listing);
            })
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsWrite)
            .WithName(name)
            .WithSummary(summary)
            .WithDescription(description)
            .Produces<ListingDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static KeyFileFormat? ImportFormat(string? contentType)
    {
        if (contentType is null || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)) return null;
        return media.MediaType.Value?.ToLowerInvariant() switch
        {
            "text/plain" => KeyFileFormat.PlainText,
            "text/csv" => KeyFileFormat.Csv,
            _ => null,
        };
    }

    private static async Task WriteCsvAsync(Stream body, ListingItemExport export, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024);
        await writer.WriteAsync("id,status,order_id,created_at,sold_at,key\r\n");
        await foreach (var row in export.Rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                $"{row.Id},{row.Status},{row.OrderId},{row.CreatedAt:O},{row.SoldAt:O},{Csv(row.Key)}\r\n"));
        }
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. A leading =,+,-,@ is
    /// prefixed with a quote mark so a spreadsheet opening the file does not run it as a formula.</summary>
    private static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
