using Marketplace.Application.Wallets;
using Marketplace.Application.Wallets.ConnectWallet;
using Marketplace.Application.Wallets.ListWallets;
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
            .WithSummary("Connect a wallet to receive payments. The token is verified with the wallet, stored encrypted, never returned.")
            .Produces<WalletDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        wallets.MapGet("/", async (ISender sender, CancellationToken ct) => Results.Ok(await sender.Send(new ListWalletsQuery(), ct)))
            .WithSummary("The caller's connected wallets and their sync state.")
            .Produces<IReadOnlyList<WalletDto>>();
    }
}
