using Marketplace.Application.Reputation;
using Mediator;

namespace Marketplace.Api.Endpoints;

public static class SellerEndpoints
{
    public static void MapSellerEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/sellers/{id}", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetSellerProfileQuery(id), ct)))
            .WithTags("Sellers")
            .AllowAnonymous()
            .WithName("GetSellerProfile")
            .WithSummary("Get a seller's public profile")
            .WithDescription("A seller's public profile: rating, completed orders, dispute and refund rates, median delivery time, latest ratings.")
            .Produces<SellerProfileDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
