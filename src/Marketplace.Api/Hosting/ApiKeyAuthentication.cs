using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Marketplace.Application.Accounts.ApiKeys;
using Marketplace.Application.Common.Models;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Marketplace.Api.Hosting;

/// <summary>
/// API keys beside login tokens. The default scheme is a policy scheme that looks at the credential:
/// a bearer token starting with <c>mkp_</c>, or an <c>X-Api-Key</c> header, goes to the API key
/// scheme; any other bearer token to the login (session) scheme. Both give the account id claim;
/// an API key's principal also carries its scopes (<see cref="ScopeClaim"/>) and
/// <see cref="ApiKeyIdClaim"/>, which is how authorization tells the two apart (ApiScopeAuthorization).
/// </summary>
public static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";
    public const string SelectorScheme = "Marketplace";
    public const string HeaderName = "X-Api-Key";
    public const string ScopeClaim = "scope";
    public const string ApiKeyIdClaim = "api_key_id";

    public static AuthenticationBuilder AddMarketplaceAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Login token or API key", options => options.ForwardDefaultSelector = SelectScheme)
            .AddBearerToken(options => options.BearerTokenExpiration = configuration.GetValue("Auth:AccessTokenLifetime", TimeSpan.FromHours(1)))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Scheme, "API key", _ => { });
        return builder;
    }

    /// <summary>An Authorization header decides when present (an API key in it, or a login token); otherwise X-Api-Key.</summary>
    private static string SelectScheme(HttpContext context)
    {
        var authorization = BearerCredential(context.Request);
        if (authorization is not null)
            return ApiKeyTokens.LooksLikeApiKey(authorization) ? Scheme : BearerTokenDefaults.AuthenticationScheme;
        return context.Request.Headers.ContainsKey(HeaderName) ? Scheme : BearerTokenDefaults.AuthenticationScheme;
    }

    internal static string? BearerCredential(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }

    public static bool IsApiKey(ClaimsPrincipal user) => user.HasClaim(c => c.Type == ApiKeyIdClaim);
}

/// <summary>Checks the presented key against its row on every request (ApiKeys/AuthenticateApiKey).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OperatingMode mode)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string InvalidKey = "The API key is not valid.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ApiKeyAuthentication.BearerCredential(Request);
        if (presented is null || !ApiKeyTokens.LooksLikeApiKey(presented))
        {
            var headers = Request.Headers[ApiKeyAuthentication.HeaderName];
            if (headers.Count == 0) return AuthenticateResult.NoResult();
            if (headers.Count > 1) return AuthenticateResult.Fail("Send one X-Api-Key header.");
            presented = headers.ToString().Trim();
        }

        if (!ApiKeyTokens.TryParse(mode, presented, out var keyId, out var secret))
        {
            return AuthenticateResult.Fail(ApiKeyTokens.LooksLikeApiKey(presented) && !presented.StartsWith(ApiKeyTokens.PrefixFor(mode), StringComparison.Ordinal)
                ? $"This service runs in {mode.Mode} mode and takes only {ApiKeyTokens.PrefixFor(mode)} keys."
                : InvalidKey);
        }

        var sender = Context.RequestServices.GetRequiredService<ISender>();
        var check = await sender.Send(new AuthenticateApiKeyCommand(keyId, secret), Context.RequestAborted);
        switch (check.Refusal)
        {
            case ApiKeyRefusal.Revoked: return AuthenticateResult.Fail("The API key has been revoked.");
            case ApiKeyRefusal.Expired: return AuthenticateResult.Fail("The API key has expired.");
            case ApiKeyRefusal.Invalid: return AuthenticateResult.Fail(InvalidKey);
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, check.AccountId.ToString()),
            new(ApiKeyAuthentication.ApiKeyIdClaim, keyId.ToString("D", CultureInfo.InvariantCulture)),
        };
        claims.AddRange(check.Scopes.Select(s => new Claim(ApiKeyAuthentication.ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthentication.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeyAuthentication.Scheme));
    }

    /// <summary>401 ProblemDetails saying why (revoked, expired, not valid); the reason never tells a wrong secret from a missing key.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = result.Failure?.Message ?? "Authentication is required.",
                Extensions = { ["code"] = "api_key.invalid" },
            },
        });
    }
}
