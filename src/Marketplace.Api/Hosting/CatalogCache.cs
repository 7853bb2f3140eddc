using Marketplace.Application.Listings.GetCatalog;
using Microsoft.AspNetCore.OutputCaching;

namespace Marketplace.Api.Hosting;

/// <summary>
/// The public catalog is the most read page and the same for every caller, so its answers are kept in
/// memory (ASP.NET Core output caching), per query string and per <see cref="CatalogVersion"/>: a write
/// in this process that the catalog shows moves the version, so the next read is fresh; another
/// instance's writes show after at most <see cref="CatalogCacheOptions.CacheLifetime"/>. A cached answer
/// keeps its ETag, and <c>If-None-Match</c> is answered 304 from the cache.
/// </summary>
public static class CatalogCache
{
    public const string Policy = "catalog";

    public static IServiceCollection AddCatalogCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CatalogCacheOptions>()
            .Bind(configuration.GetSection(CatalogCacheOptions.Section))
            .Validate(o => o.CacheLifetime >= TimeSpan.Zero && o.CacheLifetime <= TimeSpan.FromMinutes(5), "Catalog:CacheLifetime must be between 0 and 5 minutes.")
            .ValidateOnStart();
        services.AddOutputCache(options => options.AddPolicy(Policy, new CatalogCachePolicy()));
        return services;
    }

    /// <summary>
    /// Cached whatever the caller's credentials (the answer does not depend on them: the catalog query has no
    /// caller), only 200s, varied by every query parameter and the catalog version.
    /// </summary>
    private sealed class CatalogCachePolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var services = context.HttpContext.RequestServices;
            var lifetime = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CatalogCacheOptions>>().Value.CacheLifetime;
            var method = context.HttpContext.Request.Method;
            var cacheable = lifetime > TimeSpan.Zero && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
            context.EnableOutputCaching = cacheable;
            context.AllowCacheLookup = cacheable;
            context.AllowCacheStorage = cacheable;
            context.AllowLocking = true; // one request computes a missing page, the others wait for it
            context.ResponseExpirationTimeSpan = lifetime;
            context.CacheVaryByRules.QueryKeys = "*";
            context.CacheVaryByRules.VaryByValues["catalog-version"] =
                services.GetRequiredService<CatalogVersion>().Current.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            // A 304 or an error is never stored: only the page itself.
            if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK) context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }
    }
}

public sealed class CatalogCacheOptions
{
    public const string Section = "Catalog";

    /// <summary>How long a cached catalog page may be served; zero turns the cache off.</summary>
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromSeconds(2);
}
