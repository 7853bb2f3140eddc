using Marketplace.Application.Accounts.ApiKeys;
using Mediator;

namespace Marketplace.Api.Endpoints;

/// <summary>
/// An account's API keys. Managed with a login token only (these endpoints name no scope), so a
/// leaked key can neither mint more keys nor keep itself alive.
/// </summary>
public static class ApiKeyEndpoints
{
    public static void MapApiKeyEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization();

        keys.MapPost("/", async (CreateApiKeyCommand command, ISender sender, CancellationToken ct) =>
            {
                var key = await sender.Send(command, ct);
                return Results.Created($"/api/v1/api-keys/{key.Id}", key);
            })
            .WithName("CreateApiKey")
            .WithSummary("Create an API key")
            .WithDescription("Create an API key with the given scopes. The response shows the whole key, once: store it then. " +
                             "Scopes: listings:read, listings:write, orders:read, orders:write, disputes:read, disputes:write, " +
                             "wallets:read, wallets:write, webhooks:read, webhooks:write (docs/api.md lists what each allows). " +
                             "409 api_key.limit_reached at 20 active keys. Login token only (403 with an API key).")
            .Produces<CreatedApiKeyDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        keys.MapGet("/", async (ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new ListApiKeysQuery(), ct)))
            .WithName("ListApiKeys")
            .WithSummary("List the caller's API keys")
            .WithDescription("The caller's API keys, newest first, revoked and expired ones included. Never shows a secret.")
            .Produces<IReadOnlyList<ApiKeyDto>>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        keys.MapGet("/{id}", async (Guid id, ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new GetApiKeyQuery(id), ct)))
            .WithName("GetApiKey")
            .WithSummary("Get an API key")
            .WithDescription("One of the caller's API keys (404 for anyone else's).")
            .Produces<ApiKeyDto>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        keys.MapDelete("/{id}", async (Guid id, ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new RevokeApiKeyCommand(id), ct);
                return Results.NoContent();
            })
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key")
            .WithDescription("Revoke one of the caller's API keys: the next request with it is refused (401). Revoking again is a no-op.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
