using Marketplace.Application.Common.Models;
using Marketplace.Api.Hosting;
using Marketplace.Application.Orders;
using Marketplace.Application.Orders.CancelOrder;
using Marketplace.Application.Orders.ClaimPayment;
using Marketplace.Application.Orders.Completion;
using Marketplace.Application.Disputes;
using Marketplace.Application.Orders.Items;
using Marketplace.Application.Orders.GetOrder;
using Marketplace.Application.Orders.ListOrders;
using Marketplace.Application.Orders.PlaceOrder;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Accounts;
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
            .RequireRateLimiting(OrderRateLimits.Policy)
            .RequireScope(ApiScopes.OrdersWrite)
            .WithIdempotency()
            .WithName("PlaceOrder")
            .WithSummary("Place an order")
            .WithDescription("Reserve items and get payment instructions: pay the seller's wallet with the given comment before expiresAt. " +
                             "At most the listing's maxQuantityPerOrder items (422 naming quantity). 409 order.out_of_stock when the " +
                             "stock cannot fill it, order.too_many_unpaid when the caller has too many unpaid orders (overall or on this " +
                             "listing). 429 with Retry-After when the caller places orders too fast.")
            .Produces<OrderDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        orders.MapGet("/", async (ISender sender, CancellationToken ct, string? role = null, OrderStatus? status = null, int page = 1, int pageSize = 20) =>
                Results.Ok(await sender.Send(new ListOrdersQuery(role, status, page, pageSize), ct)))
            .RequireScope(ApiScopes.OrdersRead)
            .WithName("ListOrders")
            .WithSummary("List the caller's orders")
            .WithDescription("The caller's orders as buyer and as seller (filter with role=buyer|seller, status).")
            .Produces<PagedResult<OrderDto>>()
            .ProducesValidationProblem();

        orders.MapGet("/{id}", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetOrderQuery(id), ct)))
            .RequireScope(ApiScopes.OrdersRead)
            .WithName("GetOrder")
            .WithSummary("Get an order")
            .WithDescription("One order: state, payments, history, how many items it holds (the items: GET /orders/{id}/items).")
            .Produces<OrderDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapGet("/{id}/items", async (Guid id, HttpContext http, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new RevealOrderItemsCommand(id, http.Connection.RemoteIpAddress?.ToString(),
                    http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null), ct)))
            .RequireScope(ApiScopes.OrdersRead)
            .WithName("RevealOrderItems")
            .WithSummary("Reveal the delivered items")
            .WithDescription("The delivered items (keys, codes) of the caller's order: buyer only. " +
                             "The first reveal of each item is recorded (time, client address, user agent) as evidence for disputes. " +
                             "Replacements delivered in a dispute are listed too (replacement: true). 409 order.not_delivered before " +
                             "delivery; 404 for anyone but the buyer, the seller included.")
            .Produces<IReadOnlyList<DeliveredItemDto>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        orders.MapPost("/{id}/confirm", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ConfirmReceiptCommand(id), ct)))
            .RequireScope(ApiScopes.OrdersWrite)
            .WithIdempotency()
            .WithName("ConfirmReceipt")
            .WithSummary("Confirm the goods work")
            .WithDescription("The buyer confirms the goods work: the order completes and can no longer be disputed. " +
                             "Buyer only (404 otherwise). 409 when the order is not delivered, already complete, or has an open dispute.")
            .Produces<OrderDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        orders.MapPost("/{id}/rating", async (Guid id, RatingRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new Marketplace.Application.Reputation.RateSellerCommand(id, body.Stars, body.Comment), ct)))
            .RequireScope(ApiScopes.OrdersWrite)
            .WithIdempotency()
            .WithName("RateSeller")
            .WithSummary("Rate the seller")
            .WithDescription("The buyer rates the seller for a completed order: 1 to 5 stars, an optional comment, once. " +
                             "Buyer only (404 otherwise). 409 rating.not_completed before the order completes, rating.exists the second time.")
            .Produces<Marketplace.Application.Reputation.SellerRatingDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        orders.MapPost("/{id}/disputes", async (Guid id, OpenDisputeRequest body, ISender sender, CancellationToken ct) =>
            {
                var dispute = await sender.Send(new OpenDisputeCommand(id, body.Reason, body.Description), ct);
                return Results.Created($"/api/v1/disputes/{dispute.Id}", dispute);
            })
            .RequireScope(ApiScopes.DisputesWrite)
            .WithIdempotency()
            .WithName("OpenDispute")
            .WithSummary("Open a dispute")
            .WithDescription("The buyer opens a dispute: about delivered goods inside the protection window, or about money paid for nothing. " +
                             "Delivered orders until protectionEndsAt (and not completed); RefundDue, PartiallyPaid and Unverifiable " +
                             "orders at any time. One open dispute per order (409 dispute.already_open); 409 dispute.not_allowed otherwise. " +
                             "The seller then has Disputes:SellerResponseTime to replace, refund or contest, or a moderator takes over.")
            .Produces<Marketplace.Application.Disputes.DisputeDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        orders.MapPost("/{id}/cancel", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new CancelOrderCommand(id), ct)))
            .RequireRateLimiting(OrderRateLimits.Policy) // each cancel reads the seller's wallet first
            .RequireScope(ApiScopes.OrdersWrite)
            .WithIdempotency()
            .WithName("CancelOrder")
            .WithSummary("Cancel an unpaid order")
            .WithDescription("The buyer cancels an order awaiting payment; its items are back on sale at once. " +
                             "Only the order's buyer may cancel (anyone else, the seller included, gets 404). 409 " +
                             "order.not_cancellable once the order is delivered, expired or cancelled. Do not cancel after paying: " +
                             "a transfer made before the cancellation makes the order RefundDue. Counts against the order rate limit (429).")
            .Produces<OrderDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        orders.MapPost("/{id}/payment-claims", async (Guid id, ClaimPaymentRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ClaimPaymentCommand(id, body.TransactionId, body.PayerAccount), ct)))
            .RequireRateLimiting(OrderRateLimits.Policy) // shared with placing orders: guessing transaction ids costs attempts
            .RequireScope(ApiScopes.OrdersWrite)
            .WithIdempotency()
            .WithName("ClaimPayment")
            .WithSummary("Claim a payment")
            .WithDescription("The buyer claims a transfer made with a wrong comment, by its transaction id and the account it was paid from. " +
                             "The service confirms the transfer in the seller's wallet history, then the order's rules decide as for any " +
                             "payment. 422 payment.claim_not_found when the wallet has no such incoming transfer from that account (or it " +
                             "was not read yet: try again in a minute); 409 payment.claim_refused when the transfer already belongs to " +
                             "another order. Buyer only (404 otherwise). Counts against the order rate limit (429).")
            .Produces<OrderDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }
}

/// <param name="TransactionId">The wallet's id of the transfer (shown in the buyer's own wallet history).</param>
/// <param name="PayerAccount">The account the buyer paid from, e.g. +79001234567.</param>
public sealed record ClaimPaymentRequest(string TransactionId, string PayerAccount);

/// <param name="Reason">KeyInvalid, KeyAlreadyUsed, WrongRegionOrPlatform, NotReceived, PaidButNotDelivered or Other.</param>
/// <param name="Description">What is wrong, in plain text (at most 2000 characters, no markup).</param>
public sealed record OpenDisputeRequest(Marketplace.Domain.Disputes.DisputeReason Reason, string Description);

/// <param name="Stars">1 to 5.</param>
/// <param name="Comment">Optional, plain text, at most 500 characters.</param>
public sealed record RatingRequest(int Stars, string? Comment);
