using Marketplace.Application.Common.Models;
using Marketplace.Application.Listings;
using Marketplace.Application.Listings.AddListingItems;
using Marketplace.Application.Listings.CreateListing;
using Marketplace.Application.Listings.GetCatalog;
using Marketplace.Application.Listings.GetListing;
using Marketplace.Api.Hosting;
using Marketplace.Domain.Accounts;
using Mediator;

namespace Marketplace.Api.Endpoints;

public static class ListingEndpoints
{
    public sealed record AddItemsRequest(IReadOnlyList<string> Items);

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
            .WithSummary("Create a listing paid into one of the caller's wallets.")
            .Produces<ListingDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        listings.MapPost("/{id}/items", async (Guid id, AddItemsRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new AddListingItemsCommand(id, body.Items), ct)))
            .RequireAuthorization()
            .RequireScope(ApiScopes.ListingsWrite)
            .WithIdempotency()
            .WithSummary("Add unique items (keys, codes) to a listing's stock; duplicates are skipped and counted.")
            .Produces<AddListingItemsResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        listings.MapGet("/", async (ISender sender, CancellationToken ct, int page = 1, int pageSize = 20, string? category = null, bool inStock = false) =>
                Results.Ok(await sender.Send(new GetCatalogQuery(page, pageSize, category, inStock), ct)))
            .WithSummary("The public catalog, newest first. Shows stock counts, never items.")
            .Produces<PagedResult<ListingDto>>()
            .ProducesValidationProblem();

        listings.MapGet("/{id}", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetListingQuery(id), ct)))
            .WithSummary("One listing.")
            .Produces<ListingDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
