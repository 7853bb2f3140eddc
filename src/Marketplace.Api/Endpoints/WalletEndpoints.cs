using Marketplace.Application.Wallets;
using Marketplace.Application.Wallets.ConnectWallet;
using Marketplace.Application.Wallets.GetWallet;
using Marketplace.Application.Wallets.ListWallets;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Wallets.Transfers;
using Marketplace.Domain.Payments;
using Marketplace.Api.Hosting;
using Marketplace.Domain.Accounts;
using Mediator;

namespace Marketplace.Api.Endpoints;

public static class WalletEndpoints
{
    public static void MapWalletEndpoints(this RouteGroupBuilder api)
    {
        var wallets = api.MapGroup("/wallets").WithTags("Wallets").RequireAuthorization();

        wallets.MapPost("/", async (ConnectWalletCommand command, ISender sender, CancellationToken ct) =>
            {
                var wallet = await sender.Send(command, ct);
                return Results.Created($"/api/v1/wallets/{wallet.Id}", wallet);
            })
            .RequireScope(ApiScopes.WalletsWrite)
            .WithIdempotency()
            .WithName("ConnectWallet")
            .WithSummary("Connect a wallet")
            .WithDescription("Connect a wallet to receive payments. The token is verified with the wallet, stored encrypted, never returned.")
            .Produces<WalletDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        wallets.MapGet("/", async (ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new ListWalletsQuery(), ct)))
            .RequireScope(ApiScopes.WalletsRead)
            .WithName("ListWallets")
            .WithSummary("List the caller's wallets")
            .WithDescription("The caller's connected wallets and their sync state.")
            .Produces<IReadOnlyList<WalletDto>>();

        wallets.MapGet("/{id}", async (Guid id, ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new GetWalletQuery(id), ct)))
            .RequireScope(ApiScopes.WalletsRead)
            .WithName("GetWallet")
            .WithSummary("Get a wallet")
            .WithDescription("One of the caller's wallets and its sync state (the Location of POST /wallets). Owner only: 404 otherwise.")
            .Produces<WalletDto>();

        wallets.MapGet("/{id}/transfers", async (Guid id, ISender sender, CancellationToken ct, bool? inbox = null, PaymentOutcome? outcome = null,
                    int page = 1, int pageSize = 20) =>
                Results.Ok(await sender.Send(new ListWalletTransfersQuery(id, inbox, outcome, page, pageSize), ct)))
            .RequireScope(ApiScopes.WalletsRead)
            .WithName("ListWalletTransfers")
            .WithSummary("List a wallet's incoming transfers")
            .WithDescription("Reconciliation: every incoming transfer the matcher recorded for this wallet, newest first, with its outcome. " +
                             "inbox=true lists the transfers waiting for the seller (unmatched, ambiguous, wrong currency, before the " +
                             "order, too late, paid twice): attach one to an order or resolve it with a note. Owner only (404 otherwise).")
            .Produces<PagedResult<WalletTransferDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        wallets.MapPost("/{id}/transfers/{transferId}/attach", async (Guid id, Guid transferId, AttachTransferRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new AttachTransferCommand(id, transferId, body.OrderId), ct)))
            .RequireScope(ApiScopes.WalletsWrite)
            .WithIdempotency()
            .WithName("AttachTransfer")
            .WithSummary("Attach a transfer to an order")
            .WithDescription("Attach an inbox transfer to one of this wallet's orders; the order's rules decide (the seller vouches for the timing).")
            .Produces<WalletTransferDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        wallets.MapPost("/{id}/transfers/{transferId}/resolve", async (Guid id, Guid transferId, ResolveTransferRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ResolveTransferCommand(id, transferId, body.Note), ct)))
            .RequireScope(ApiScopes.WalletsWrite)
            .WithIdempotency()
            .WithName("ResolveTransfer")
            .WithSummary("Resolve an inbox transfer")
            .WithDescription("Close an inbox transfer with a note (refunded outside the marketplace, not a sale, ...).")
            .Produces<WalletTransferDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }
}

/// <param name="OrderId">One of the wallet's orders.</param>
public sealed record AttachTransferRequest(Guid OrderId);

/// <param name="Note">Why the transfer needs nothing more (at most 500 characters).</param>
public sealed record ResolveTransferRequest(string Note);
