using Marketplace.Application.Common.Models;
using Microsoft.AspNetCore.HttpOverrides;

namespace Marketplace.Api.Hosting;

/// <summary>
/// Browser-facing hardening on every response: no sniffing, no framing, no referrer leaks, a strict
/// CSP (the API serves JSON; Swagger UI and the emulator's payment form, which asks for a wallet
/// token, get just what they need), CORS only for configured storefront origins, and in Live HSTS
/// plus HTTPS redirection. Kestrel's Server header is off (see Program).
/// </summary>
public static class SecurityHeaders
{
    public const string CorsPolicy = "storefronts";

    /// <summary>JSON answers: nothing may load, nothing may frame them.</summary>
    internal const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Swagger UI: its own scripts and styles, data: images, calls to this origin only.</summary>
    internal const string SwaggerPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Server-rendered HTML (the emulator's payment form): inline styles, posting back to itself, no scripts.</summary>
    internal const string HtmlPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddMarketplaceSecurity(this IServiceCollection services, IConfiguration configuration, OperatingMode mode)
    {
        // Empty entries are "none" (an unset variable in a compose file), not an origin.
        var origins = (configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).ToArray();
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
                throw new InvalidOperationException($"Cors:AllowedOrigins entry '{origin}' must be an origin such as https://shop.example.com.");
        }

        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            // None configured: no cross-origin browser calls at all (the default).
            if (origins.Length > 0)
                policy.WithOrigins(origins).AllowAnyHeader().WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                    .WithExposedHeaders("Location", "Retry-After");
        }));

        if (mode.Mode == ServiceMode.Live)
        {
            services.AddHsts(hsts =>
            {
                hsts.MaxAge = TimeSpan.FromDays(365);
                hsts.IncludeSubDomains = true;
            });
            // Without a known HTTPS port the framework only logs and never redirects; behind a TLS proxy it is 443.
            services.AddHttpsRedirection(https => https.HttpsPort = configuration.GetValue<int?>("HttpsRedirection:HttpsPort") ?? 443);
        }

        // Behind a TLS-terminating proxy: trust X-Forwarded-* only from the proxies named here, so the
        // client address used by rate limits cannot be spoofed by a direct caller.
        var proxies = (configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).ToArray();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; a local process could then pick any client address.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                options.KnownProxies.Add(System.Net.IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"ReverseProxy:KnownProxies entry '{proxy}' must be an IP address."));
        });
        return services;
    }

    /// <param name="plainHttpAllowed">Requests from inside that stay on plain HTTP (a scrape on the management port).</param>
    public static WebApplication UseMarketplaceSecurity(this WebApplication app, OperatingMode mode, Func<HttpContext, bool>? plainHttpAllowed = null)
    {
        app.UseForwardedHeaders();
        if (mode.Mode == ServiceMode.Live)
        {
            app.UseHsts();
            // Health probes come over plain HTTP from inside (the container healthcheck, a load balancer):
            // redirecting them would only make them fail.
            app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health") && plainHttpAllowed?.Invoke(context) != true,
                https => https.UseHttpsRedirection());
        }

        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                headers.ContentSecurityPolicy = PolicyFor(context);
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseCors(CorsPolicy);
        return app;
    }

    private static string PolicyFor(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/swagger")) return SwaggerPolicy;
        var type = context.Response.ContentType;
        return type is not null && type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) ? HtmlPolicy : ApiPolicy;
    }
}
