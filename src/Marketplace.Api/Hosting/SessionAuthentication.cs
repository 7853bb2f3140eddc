using System.Security.Claims;
using Marketplace.Application.Accounts;
using Marketplace.Application.Accounts.CheckSession;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;

namespace Marketplace.Api.Hosting;

/// <summary>
/// Access tokens stay ASP.NET Core's opaque bearer tokens, but each names its session (claim
/// <see cref="SessionIdClaim"/>) and is refused as soon as that session ends: every request with a
/// token asks the database whether its session is still live (one indexed primary-key lookup), so
/// logout and a password change take effect at once. Refresh tokens are ours (see RefreshSession).
/// The event authenticates the request itself once the session is found live, so the token is
/// unprotected (decrypted and verified) once per request rather than once here and again in the handler.
/// </summary>
public static class SessionAuthentication
{
    public const string SessionIdClaim = "sid";

    public static IServiceCollection AddSessionAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountSecurityOptions>()
            .Bind(configuration.GetSection(AccountSecurityOptions.Section))
            .Validate(o => o.RefreshTokenLifetime > TimeSpan.Zero && o.SessionLifetime > TimeSpan.Zero
                           && o.Lockout.MaxFailedAttempts >= 0 && o.Lockout.Duration >= TimeSpan.Zero,
                "Auth: lifetimes must be positive, lockout settings not negative.")
            .ValidateOnStart();
        services.AddSingleton<SessionTokenIssuer>();
        services.Configure<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme,
            options => options.Events = new BearerTokenEvents { OnMessageReceived = RejectEndedSessionsAsync });
        return services;
    }

    private static async Task RejectEndedSessionsAsync(MessageReceivedContext context)
    {
        var token = context.Token ?? BearerToken(context.Request);
        if (token is null) return;
        var ticket = context.Options.BearerTokenProtector.Unprotect(token);
        if (ticket?.Principal is not { } principal) return; // not a token of ours: the handler refuses it
        // The handler's own expiry rule, checked here because a live session ends the authentication below
        // (the token is unprotected once per request, not twice), and before the database is asked.
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (ticket.Properties.ExpiresUtc is not { } expires || now >= expires)
        {
            context.Fail("The access token has expired.");
            return;
        }

        if (!Guid.TryParse(principal.FindFirstValue(SessionIdClaim), out var sessionId)
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var accountId))
        {
            context.Fail("The access token names no session.");
            return;
        }

        var sender = context.HttpContext.RequestServices.GetRequiredService<ISender>();
        if (await sender.Send(new CheckSessionQuery(accountId, sessionId), context.HttpContext.RequestAborted))
        {
            context.Principal = principal;
            context.Properties = ticket.Properties;
            context.Success();
        }
        else
            context.Fail("The session has ended.");
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }
}

/// <summary>Turns a <see cref="SessionGrant"/> into the bearer scheme's response: <c>{ tokenType, accessToken, expiresIn, refreshToken }</c>.</summary>
public sealed class SessionTokenIssuer(IOptionsMonitor<BearerTokenOptions> bearerOptions, TimeProvider clock)
{
    public AccessTokenResponse Issue(SessionGrant grant)
    {
        var options = bearerOptions.Get(BearerTokenDefaults.AuthenticationScheme);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, grant.AccountId.ToString()),
                new Claim(ClaimTypes.Email, grant.Email),
                new Claim(SessionAuthentication.SessionIdClaim, grant.SessionId.ToString()),
            ],
            BearerTokenDefaults.AuthenticationScheme);
        var properties = new AuthenticationProperties { ExpiresUtc = clock.GetUtcNow() + options.BearerTokenExpiration };
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), properties, $"{BearerTokenDefaults.AuthenticationScheme}:AccessToken");
        return new AccessTokenResponse
        {
            AccessToken = options.BearerTokenProtector.Protect(ticket),
            ExpiresIn = (long)options.BearerTokenExpiration.TotalSeconds,
            RefreshToken = grant.RefreshToken,
        };
    }
}
