using System.Security.Claims;
using Marketplace.Application.Accounts.Login;
using Marketplace.Application.Accounts.Register;
using Mediator;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;

namespace Marketplace.Api.Endpoints;

public static class AuthEndpoints
{
    public sealed record RefreshRequest(string? RefreshToken);

    public static void MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Accounts");

        auth.MapPost("/register", async (RegisterCommand command, ISender sender, CancellationToken ct) =>
            {
                var account = await sender.Send(command, ct);
                return Results.Created($"/api/v1/accounts/{account.Id}", account);
            })
            .WithSummary("Create an account (email and password). Any account can buy; connecting a wallet makes it a seller.")
            .Produces<AccountDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        auth.MapPost("/login", async (LoginCommand command, ISender sender, CancellationToken ct) =>
            {
                var result = await sender.Send(command, ct);
                var identity = new ClaimsIdentity(
                    [new Claim(ClaimTypes.NameIdentifier, result.AccountId.ToString()), new Claim(ClaimTypes.Email, result.Email)],
                    BearerTokenDefaults.AuthenticationScheme);
                // The bearer-token handler writes { tokenType, accessToken, expiresIn, refreshToken }.
                return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
            })
            .WithSummary("Exchange email and password for a bearer access token.")
            .Produces<Microsoft.AspNetCore.Authentication.BearerToken.AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        auth.MapPost("/refresh", (RefreshRequest body, IOptionsMonitor<BearerTokenOptions> options, TimeProvider clock) =>
            {
                var ticket = string.IsNullOrEmpty(body.RefreshToken)
                    ? null
                    : options.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector.Unprotect(body.RefreshToken);
                if (ticket?.Properties.ExpiresUtc is not { } expires || expires <= clock.GetUtcNow())
                    return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                        detail: "The refresh token is invalid or expired.");
                return Results.SignIn(ticket.Principal, authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
            })
            .WithSummary("Exchange a refresh token for a new access token (and refresh token).")
            .Produces<Microsoft.AspNetCore.Authentication.BearerToken.AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
    }
}
