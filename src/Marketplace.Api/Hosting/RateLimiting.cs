using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Marketplace.Api.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter, one place for all policies. A rejected request answers 429 with
/// ProblemDetails and a Retry-After header (seconds), so clients know when to come back.
/// Each area adds its named policies through <see cref="RateLimiterOptions.AddPolicy(string, Func{HttpContext, RateLimitPartition{string}})"/>
/// in its own <c>services.AddRateLimiter(...)</c> call; the options are shared.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddMarketplaceRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                await WriteTooManyRequestsAsync(context.HttpContext, retryAfter, cancellationToken);
            };
        });
        return services;
    }

    /// <summary>The one shape of a 429: ProblemDetails with code "rate_limited" and Retry-After in whole seconds.</summary>
    public static async Task WriteTooManyRequestsAsync(HttpContext http, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = $"Too many requests; try again in {seconds} s.",
            Extensions = { ["code"] = "rate_limited", ["retryAfterSeconds"] = seconds },
        };
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = problem,
        });
    }

    /// <summary>
    /// The client's address as the server saw it (behind a proxy, configure ReverseProxy:KnownProxies
    /// first). IPv6 clients are grouped by their /64: one host usually holds a whole /64, and counting
    /// each address apart would give it 2^64 budgets.
    /// </summary>
    public static string ClientAddress(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }
}

/// <summary>One fixed-window limit as configured: <c>PermitLimit</c> requests per <c>Window</c>, no queueing.</summary>
public sealed class ThrottleRule
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }

    public FixedWindowRateLimiterOptions ToLimiterOptions() => new()
    {
        PermitLimit = PermitLimit,
        Window = Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
