using System.Security.Claims;
using System.Threading.RateLimiting;

namespace Marketplace.Api.Hosting;

/// <summary>
/// The "orders" rate-limit policy on POST /orders: a fixed window per authenticated account (per
/// client address when, exceptionally, there is no account), so reserve-cancel-reserve loops and
/// scripted hoarding are slowed down. Rejections use the shared 429 of <see cref="RateLimiting"/>.
/// </summary>
public static class OrderRateLimits
{
    public const string Policy = "orders";
    public const string Section = "Orders:RateLimit";

    /// <summary>Placement attempts (successful or not) per account and window, unless <c>Orders:RateLimit</c> says otherwise.</summary>
    private static readonly ThrottleRule Default = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    public static IServiceCollection AddOrderRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var rule = new ThrottleRule { PermitLimit = Default.PermitLimit, Window = Default.Window };
        configuration.GetSection(Section).Bind(rule);
        if (rule.PermitLimit < 1 || rule.Window <= TimeSpan.Zero)
            throw new InvalidOperationException($"{Section}: PermitLimit must be at least 1 and Window positive.");

        services.AddRateLimiter(limiter => limiter.AddPolicy(Policy, http =>
            RateLimitPartition.GetFixedWindowLimiter(PartitionKey(http), _ => rule.ToLimiterOptions())));
        return services;
    }

    /// <summary>"account:{id}" for a signed-in caller, else "address:{ip}".</summary>
    internal static string PartitionKey(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } accountId
            ? "account:" + accountId
            : "address:" + RateLimiting.ClientAddress(http);
}
