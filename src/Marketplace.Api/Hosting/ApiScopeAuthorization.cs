using Marketplace.Domain.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Api.Hosting;

/// <summary>The scope an API key needs for this endpoint. An endpoint without one takes login tokens only.</summary>
public sealed record ApiScopeMetadata(string Scope);

/// <summary>
/// Scope checks for API keys, in the default authorization policy so that every endpoint that requires
/// authorization gets them: an API key passes only endpoints that name a scope it holds
/// (<see cref="RequireScope{TBuilder}"/>); a login token holds every scope. Refusals are 403
/// ProblemDetails naming the missing scope.
/// </summary>
public static class ApiScopeAuthorization
{
    public const string ScopeMissingCode = "api_key.scope_missing";
    public const string LoginRequiredCode = "api_key.login_required";

    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder
    {
        if (!ApiScopes.IsKnown(scope)) throw new ArgumentException($"Unknown scope '{scope}'.", nameof(scope));
        return builder.WithMetadata(new ApiScopeMetadata(scope));
    }

    public static IServiceCollection AddApiScopeAuthorization(this IServiceCollection services)
    {
        services.AddAuthorization(options => options.DefaultPolicy = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .AddRequirements(new ApiScopeRequirement())
            .Build());
        services.AddSingleton<IAuthorizationHandler, ApiScopeHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiScopeResultHandler>();
        return services;
    }
}

public sealed class ApiScopeRequirement : IAuthorizationRequirement;

/// <summary>Why an API key was refused: the scope it lacks, or null when the endpoint takes no API key at all.</summary>
public sealed class ApiScopeFailure(IAuthorizationHandler handler, string message, string? missingScope)
    : AuthorizationFailureReason(handler, message)
{
    public string? MissingScope { get; } = missingScope;
}

public sealed class ApiScopeHandler : AuthorizationHandler<ApiScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiScopeRequirement requirement)
    {
        if (!ApiKeyAuthentication.IsApiKey(context.User))
        {
            context.Succeed(requirement); // a login token holds every scope
            return Task.CompletedTask;
        }

        var required = (context.Resource as HttpContext)?.GetEndpoint()?.Metadata.GetOrderedMetadata<ApiScopeMetadata>() ?? [];
        if (required.Count == 0)
        {
            context.Fail(new ApiScopeFailure(this, "This endpoint takes a login token, not an API key.", null));
            return Task.CompletedTask;
        }

        var missing = required.FirstOrDefault(r => !context.User.HasClaim(ApiKeyAuthentication.ScopeClaim, r.Scope));
        if (missing is null) context.Succeed(requirement);
        else context.Fail(new ApiScopeFailure(this, $"The API key lacks the scope '{missing.Scope}'.", missing.Scope));
        return Task.CompletedTask;
    }
}

/// <summary>Writes a scope refusal as 403 ProblemDetails; every other outcome as the framework does.</summary>
public sealed class ApiScopeResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var failure = authorizeResult.Forbidden
            ? authorizeResult.AuthorizationFailure?.FailureReasons.OfType<ApiScopeFailure>().FirstOrDefault()
            : null;
        if (failure is null)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var problem = new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = failure.Message };
        problem.Extensions["code"] = failure.MissingScope is null ? ApiScopeAuthorization.LoginRequiredCode : ApiScopeAuthorization.ScopeMissingCode;
        if (failure.MissingScope is not null) problem.Extensions["requiredScope"] = failure.MissingScope;
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
