using Marketplace.Application.Common.Models;
using Marketplace.Application.Orders;
using Marketplace.Application.Orders.GetOrder;
using Marketplace.Application.Orders.ListOrders;
using Marketplace.Application.Orders.PlaceOrder;
using Marketplace.Domain.Orders;
using Mediator;

namespace Marketplace.Api.Endpoints;

public static class OrderEndpoints
{
    public static void MapOrderEndpoints(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders").RequireAuthorization();

        orders.MapPost("/", async (PlaceOrderCommand command, ISender sender, CancellationToken ct) =>
            {
                var order = await sender.Send(command, ct);
                return Results.Created($"/api/v1/orders/{order.Id}", order);
            })
            .WithSummary("Reserve items and get payment instructions: pay the seller's wallet with the given comment before expiresAt.")
            .Produces<OrderDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        orders.MapGet("/", async (ISender sender, CancellationToken ct, string? role = null, OrderStatus? status = null, int page = 1, int pageSize = 20) =>
                Results.Ok(await sender.Send(new ListOrdersQuery(role, status, page, pageSize), ct)))
            .WithSummary("The caller's orders as buyer and as seller (filter with role=buyer|seller, status).")
            .Produces<PagedResult<OrderDto>>()
            .ProducesValidationProblem();

        orders.MapGet("/{id}", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetOrderQuery(id), ct)))
            .WithSummary("One order; its buyer sees the items once it is delivered.")
            .Produces<OrderDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
