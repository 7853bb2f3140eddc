using System.Threading.RateLimiting;
using Marketplace.Application.Accounts.Login;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Domain.Accounts;
using Microsoft.Extensions.Options;

namespace Marketplace.Api.Hosting;

/// <summary>
/// Throttles for the account endpoints, bound from <c>Auth:Throttling</c>. Per client address
/// through the rate-limiter middleware (policies <see cref="LoginPolicy"/>, <see cref="RegisterPolicy"/>,
/// <see cref="RefreshPolicy"/>); per account (normalised email, known or not) through an endpoint
/// filter on login, because the email is only known once the body is bound. Rejections share the
/// one 429 shape of <see cref="RateLimiting"/>. Limits are per instance (in memory); the persisted
/// lockout on the account is what holds across instances.
/// </summary>
public static class AuthRateLimits
{
    public const string LoginPolicy = "auth-login";
    public const string RegisterPolicy = "auth-register";
    public const string RefreshPolicy = "auth-refresh";

    public static IServiceCollection AddAuthRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthThrottlingOptions>()
            .Bind(configuration.GetSection(AuthThrottlingOptions.Section))
            .Validate(o => new[] { o.LoginPerAddress, o.LoginPerAccount, o.RegisterPerAddress, o.RefreshPerAddress }
                    .All(rule => rule.PermitLimit > 0 && rule.Window > TimeSpan.Zero),
                "Auth:Throttling: every rule needs PermitLimit > 0 and a positive Window.")
            .ValidateOnStart();
        services.AddSingleton<AccountLoginLimiter>();
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(LoginPolicy, http => PerAddress(http, o => o.LoginPerAddress));
            options.AddPolicy(RegisterPolicy, http => PerAddress(http, o => o.RegisterPerAddress));
            options.AddPolicy(RefreshPolicy, http => PerAddress(http, o => o.RefreshPerAddress));
        });
        return services;
    }

    /// <summary>Login's per-account throttle: a 429 before the password is even checked.</summary>
    public static RouteHandlerBuilder RequireAccountThrottle(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            if (context.Arguments.OfType<LoginCommand>().FirstOrDefault() is { Email: { Length: > 0 and <= 254 } email })
            {
                var limiter = context.HttpContext.RequestServices.GetRequiredService<AccountLoginLimiter>();
                using var lease = limiter.Acquire(Account.NormalizeEmail(email));
                if (!lease.IsAcquired)
                {
                    var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                    throw new TooManyAttemptsException(retryAfter, "Too many sign-in attempts for this account.");
                }
            }

            return await next(context);
        });

    private static RateLimitPartition<string> PerAddress(HttpContext http, Func<AuthThrottlingOptions, ThrottleRule> rule)
    {
        var options = rule(http.RequestServices.GetRequiredService<IOptions<AuthThrottlingOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(RateLimiting.ClientAddress(http), _ => options.ToLimiterOptions());
    }
}

public sealed class AuthThrottlingOptions
{
    public const string Section = "Auth:Throttling";

    /// <summary>Login attempts from one address, whatever the account (credential stuffing, spraying).</summary>
    public ThrottleRule LoginPerAddress { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Login attempts for one email from anywhere (guessing one account from many addresses).</summary>
    public ThrottleRule LoginPerAccount { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Sign-ups from one address (mass account creation, probing which emails exist).</summary>
    public ThrottleRule RegisterPerAddress { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromHours(1) };

    /// <summary>Refresh calls from one address (refresh tokens cannot be guessed; this bounds load).</summary>
    public ThrottleRule RefreshPerAddress { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>At most <see cref="PermitLimit"/> requests per fixed <see cref="Window"/>; no queueing.</summary>
/// <summary>One fixed window per normalised email; idle windows are dropped by the partitioned limiter.</summary>
public sealed class AccountLoginLimiter(IOptions<AuthThrottlingOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        email => RateLimitPartition.GetFixedWindowLimiter(email, _ => options.Value.LoginPerAccount.ToLimiterOptions()));

    public RateLimitLease Acquire(string email) => _limiter.AttemptAcquire(email);

    public void Dispose() => _limiter.Dispose();
}
