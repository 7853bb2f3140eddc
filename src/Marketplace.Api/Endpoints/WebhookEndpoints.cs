using Marketplace.Api.Hosting;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Webhooks;
using Marketplace.Domain.Accounts;
using Mediator;

namespace Marketplace.Api.Endpoints;

/// <summary>Outgoing webhooks of the caller's account (docs/webhooks.md). Someone else's endpoint is a 404, like a missing one.</summary>
public static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization();

        hooks.MapPost("/", async (CreateWebhookEndpointRequest body, ISender sender, CancellationToken ct) =>
            {
                var created = await sender.Send(new CreateWebhookEndpointCommand(body.Url, body.EventTypes, body.Description), ct);
                return Results.Created($"/api/v1/webhooks/{created.Endpoint.Id}", created);
            })
            .RequireScope(ApiScopes.WebhooksWrite)
            .WithName("CreateWebhookEndpoint")
            .WithSummary("Register a webhook endpoint")
            .WithDescription("Register a webhook endpoint. The signing secret is in this answer only: store it now. " +
                             "At most 10 per account. In Live the URL must be https and its host must resolve to public addresses only.")
            .Produces<WebhookEndpointWithSecretDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        hooks.MapGet("/", async (ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new ListWebhookEndpointsQuery(), ct)))
            .RequireScope(ApiScopes.WebhooksRead)
            .WithName("ListWebhookEndpoints")
            .WithSummary("List the caller's webhook endpoints")
            .WithDescription("The caller's webhook endpoints (never their secrets).")
            .Produces<IReadOnlyList<WebhookEndpointDto>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        hooks.MapGet("/{id:guid}", async (Guid id, ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new GetWebhookEndpointQuery(id), ct)))
            .RequireScope(ApiScopes.WebhooksRead)
            .WithName("GetWebhookEndpoint")
            .WithSummary("Get a webhook endpoint")
            .WithDescription("One webhook endpoint, with its status (disabled and why).")
            .Produces<WebhookEndpointDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        hooks.MapPatch("/{id:guid}", async (Guid id, UpdateWebhookEndpointRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new UpdateWebhookEndpointCommand(id, body.Url, body.EventTypes, body.Description, body.Enabled), ct)))
            .RequireScope(ApiScopes.WebhooksWrite)
            .WithName("UpdateWebhookEndpoint")
            .WithSummary("Change a webhook endpoint")
            .WithDescription("Change the URL, event types, description, or enable/disable the endpoint (absent fields stay).")
            .Produces<WebhookEndpointDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        hooks.MapDelete("/{id:guid}", async (Guid id, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new DeleteWebhookEndpointCommand(id), ct);
                return Results.NoContent();
            })
            .RequireScope(ApiScopes.WebhooksWrite)
            .WithName("DeleteWebhookEndpoint")
            .WithSummary("Delete a webhook endpoint")
            .WithDescription("Delete the endpoint and its delivery log.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        hooks.MapPost("/{id:guid}/rotate-secret", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new RotateWebhookSecretCommand(id), ct)))
            .RequireScope(ApiScopes.WebhooksWrite)
            .WithName("RotateWebhookSecret")
            .WithSummary("Rotate a webhook endpoint's signing secret")
            .WithDescription("A new signing secret (shown once); the old one keeps signing, as a second v1 entry, for 24 hours.")
            .Produces<WebhookEndpointWithSecretDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        hooks.MapPost("/{id:guid}/test", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(new SendTestWebhookCommand(id), ct)))
            .RequireScope(ApiScopes.WebhooksWrite)
            .WithName("SendWebhookPing")
            .WithSummary("Send a test event")
            .WithDescription("Queue a ping event to the endpoint; its outcome shows in the delivery log.")
            .Produces<WebhookDeliveryDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        hooks.MapGet("/{id:guid}/deliveries", async (Guid id, ISender sender, CancellationToken ct, int page = 1, int pageSize = 20) =>
                Results.Ok(await sender.Send(new ListWebhookDeliveriesQuery(id, page, pageSize), ct)))
            .RequireScope(ApiScopes.WebhooksRead)
            .WithName("ListWebhookDeliveries")
            .WithSummary("List an endpoint's deliveries")
            .WithDescription("The endpoint's delivery log, newest first: status, attempts, last answer, next attempt.")
            .Produces<PagedResult<WebhookDeliveryDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        hooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", async (Guid id, Guid deliveryId, ISender sender, CancellationToken ct) =>
                Results.Accepted(value: await sender.Send(new RedeliverWebhookCommand(id, deliveryId), ct)))
            .RequireScope(ApiScopes.WebhooksWrite)
            .WithName("RedeliverWebhook")
            .WithSummary("Redeliver an event")
            .WithDescription("Send that delivery's event again, now, as a new delivery (same Webhook-Id).")
            .Produces<WebhookDeliveryDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }
}

/// <param name="Url">Where to POST events: absolute https (http only in Sandbox), at most 2048 characters.</param>
/// <param name="EventTypes">Event types to receive, e.g. ["order.delivered", "dispute.opened"].</param>
/// <param name="Description">A note for the owner (at most 500 characters).</param>
public sealed record CreateWebhookEndpointRequest(string Url, IReadOnlyList<string> EventTypes, string? Description = null);

/// <param name="Enabled">false pauses deliveries (they queue); true turns a disabled endpoint on again.</param>
public sealed record UpdateWebhookEndpointRequest(string? Url = null, IReadOnlyList<string>? EventTypes = null, string? Description = null, bool? Enabled = null);
