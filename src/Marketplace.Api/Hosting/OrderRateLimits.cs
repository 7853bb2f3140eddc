using System.Security.Claims;
using System.Threading.RateLimiting;

namespace Marketplace.Api.Hosting;

/// <summary>Section <c>Orders:RateLimit</c>: how many orders one account may try to place per window.</summary>
public sealed class OrderRateLimitOptions
{
    public const string Section = "Orders:RateLimit";

    /// <summary>Placement attempts (successful or not) per account and window.</summary>
    public int PermitLimit { get; set; } = 10;

    /// <summary>The fixed window the permits are counted in.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The "orders" rate-limit policy on POST /orders: a fixed window per authenticated account (per
/// client address when, exceptionally, there is no account), so reserve-cancel-reserve loops and
/// scripted hoarding are slowed down. Rejections use the shared 429 of <see cref="RateLimiting"/>.
/// </summary>
public static class OrderRateLimits
{
    public const string Policy = "orders";

    public static IServiceCollection AddOrderRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OrderRateLimitOptions.Section).Get<OrderRateLimitOptions>() ?? new OrderRateLimitOptions();
        if (options.PermitLimit < 1 || options.Window <= TimeSpan.Zero)
            throw new InvalidOperationException($"{OrderRateLimitOptions.Section}: PermitLimit must be at least 1 and Window positive.");

        services.AddRateLimiter(limiter => limiter.AddPolicy(Policy, http =>
            RateLimitPartition.GetFixedWindowLimiter(PartitionKey(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit,
                Window = options.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            })));
        return services;
    }

    /// <summary>"account:{id}" for a signed-in caller, else "address:{ip}".</summary>
    internal static string PartitionKey(HttpContext http) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } accountId
            ? "account:" + accountId
            : "address:" + RateLimiting.ClientAddress(http);
}
