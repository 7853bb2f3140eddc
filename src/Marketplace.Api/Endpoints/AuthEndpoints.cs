using Marketplace.Api.Hosting;
using Marketplace.Application.Accounts.ChangeDisplayName;
using Marketplace.Application.Accounts.ChangePassword;
using Marketplace.Application.Accounts.GetAccount;
using Marketplace.Application.Accounts.Login;
using Marketplace.Application.Accounts.Logout;
using Marketplace.Application.Accounts.RefreshSession;
using Marketplace.Application.Accounts.Register;
using Mediator;
using Microsoft.AspNetCore.Authentication.BearerToken;

namespace Marketplace.Api.Endpoints;

public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Accounts");

        auth.MapPost("/register", async (RegisterCommand command, ISender sender, CancellationToken ct) =>
            {
                var account = await sender.Send(command, ct);
                return Results.Created($"/api/v1/accounts/{account.Id}", account);
            })
            .RequireRateLimiting(AuthRateLimits.RegisterPolicy)
            .WithName("Register")
            .WithSummary("Create an account")
            .WithDescription("Create an account (email and password). Any account can buy; connecting a wallet makes it a seller. " +
                             "The password needs 10 to 128 characters (Unicode code points, spaces allowed, no control characters) and must not be a common password.")
            .Produces<AccountDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        auth.MapPost("/login", async (LoginCommand command, ISender sender, SessionTokenIssuer tokens, CancellationToken ct) =>
                TypedResults.Ok(tokens.Issue(await sender.Send(command, ct))))
            .RequireRateLimiting(AuthRateLimits.LoginPolicy)
            .RequireAccountThrottle()
            .WithName("LogIn")
            .WithSummary("Log in")
            .WithDescription("Exchange email and password for a new session: a bearer access token and a refresh token. " +
                             "429 with Retry-After when this address or this account tried too often, or while the account is locked after repeated wrong passwords.")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        auth.MapPost("/refresh", async (RefreshSessionCommand command, ISender sender, SessionTokenIssuer tokens, CancellationToken ct) =>
                TypedResults.Ok(tokens.Issue(await sender.Send(command, ct))))
            .RequireRateLimiting(AuthRateLimits.RefreshPolicy)
            .WithName("RefreshSession")
            .WithSummary("Refresh a session")
            .WithDescription("Exchange a refresh token for a new access token and a new refresh token; the old one stops working. " +
                             "Presenting an already-used refresh token ends the whole session (401): every token of that login stops working.")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        auth.MapPost("/logout", async (ISender sender, CancellationToken ct) =>
            {
                await sender.Send(new LogoutCommand(), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization()
            .WithName("LogOut")
            .WithSummary("Log out")
            .WithDescription("End the caller's session: its access and refresh tokens stop working at once.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        auth.MapPost("/password", async (ChangePasswordCommand command, ISender sender, SessionTokenIssuer tokens, CancellationToken ct) =>
                TypedResults.Ok(tokens.Issue(await sender.Send(command, ct))))
            .RequireAuthorization()
            .WithName("ChangePassword")
            .WithSummary("Change the password")
            .WithDescription("Change the caller's password. Every session of the account ends; the response is a fresh session for the caller. " +
                             "400 naming currentPassword when it is wrong (counts toward the lockout), naming newPassword when the policy refuses it; 429 while the account is locked.")
            .Produces<AccessTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        // The account registration creates (its Location); only its owner sees it.
        var accounts = api.MapGroup("/accounts").WithTags("Accounts").RequireAuthorization();
        accounts.MapGet("/{id}", async (Guid id, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetAccountQuery(id), ct)))
            .WithName("GetAccount")
            .WithSummary("Get the caller's account")
            .WithDescription("The account registration created (its Location header). The caller's own account only: any other id is 404.")
            .Produces<AccountDto>();

        accounts.MapPatch("/{id}", async (Guid id, ChangeAccountRequest body, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new ChangeDisplayNameCommand(id, body.DisplayName), ct)))
            .WithName("ChangeAccount")
            .WithSummary("Set the caller's public display name")
            .WithDescription("Sets the name shown with the account's listings in the catalog and on its seller profile (null removes it). " +
                             "2 to 40 characters: letters, digits, single spaces and - _ . ' &. Names are unique by what a buyer can tell apart " +
                             "(case, spacing, punctuation, Cyrillic look-alikes, 0/O, 1/I/l): a name too close to another account's is 409 " +
                             "`account.display_name_taken`. The caller's own account only: any other id is 404.")
            .Produces<AccountDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }
}

/// <summary>The account fields an owner may change. <c>displayName</c>: the public name; null removes it.</summary>
public sealed record ChangeAccountRequest([property: System.Text.Json.Serialization.JsonRequired] string? DisplayName);
