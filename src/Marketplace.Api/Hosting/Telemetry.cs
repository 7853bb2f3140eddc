using System.Security.Cryptography;
using System.Text;
using Marketplace.Application.Common.Telemetry;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Marketplace.Api.Hosting;

/// <summary>
/// OpenTelemetry for the service: metrics of ASP.NET Core, HttpClient, Npgsql, the .NET runtime and our own
/// <see cref="MarketplaceMetrics"/>, scraped by Prometheus and/or pushed over OTLP; traces (ASP.NET Core,
/// HttpClient, Npgsql, EF Core) only when an OTLP endpoint receives them. Nothing here does work at start-up:
/// the providers start with the host, instruments cost nothing until a reader collects.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "marketplace";

    public static IServiceCollection AddMarketplaceTelemetry(this IServiceCollection services, TelemetrySetup setup)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MarketplaceMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddRuntimeInstrumentation();
                // No scrape cache: a scrape (every 15 s or so) always shows the latest values; the one instrument that
                // reads the database (the outbox backlog) caches its own count.
                if (setup.PrometheusEnabled) metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (setup.OtlpEndpoint is not null || setup.OtlpFromEnvironment)
                    metrics.AddOtlpExporter(otlp => Configure(otlp, setup, "v1/metrics"));
            });
        if (setup.Tracing)
        {
            telemetry.WithTracing(tracing => tracing
                // Probes and scrapes every few seconds would drown the traces that matter.
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = context => !IsOperational(context.Request.Path, setup))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter(otlp => Configure(otlp, setup, "v1/traces")));
        }

        return services;
    }

    /// <summary>
    /// An endpoint from <c>Telemetry:Otlp:Endpoint</c> is the collector's base address; over http/protobuf each signal
    /// has its own path under it. Without it the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
    /// </summary>
    private static void Configure(OtlpExporterOptions otlp, TelemetrySetup setup, string signalPath)
    {
        if (setup.OtlpEndpoint is not { } endpoint) return;
        otlp.Protocol = setup.OtlpProtocol;
        otlp.Endpoint = setup.OtlpProtocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(new Uri(endpoint.ToString().TrimEnd('/') + "/"), signalPath)
            : endpoint;
    }

    private static bool IsOperational(PathString path, TelemetrySetup setup) =>
        path.StartsWithSegments("/health") || (setup.PrometheusEnabled && path.StartsWithSegments(setup.PrometheusPath));

    /// <summary>
    /// Adds the management port to the addresses the server listens on (ASPNETCORE_URLS, --urls or
    /// ASPNETCORE_HTTP_PORTS stay as they are: a Kestrel endpoint added in code would replace them).
    /// </summary>
    public static void ListenOnManagementPort(this IWebHostBuilder webHost, int port)
    {
        var urls = SplitUrls(webHost.GetSetting(WebHostDefaults.ServerUrlsKey));
        if (urls.Count == 0)
        {
            // What the server would use without urls: ASPNETCORE_HTTP(S)_PORTS, else its own default.
            urls.AddRange(SplitUrls(webHost.GetSetting(WebHostDefaults.HttpPortsKey)).Select(p => $"http://*:{p}"));
            urls.AddRange(SplitUrls(webHost.GetSetting(WebHostDefaults.HttpsPortsKey)).Select(p => $"https://*:{p}"));
            if (urls.Count == 0) urls.Add("http://localhost:5000");
        }

        // Sharing the public port would make every request a management request: the endpoint would be public.
        if (urls.Any(url => PortOf(url) == port))
            throw new InvalidOperationException(
                $"{TelemetrySetup.PrometheusPortKey} is {port}, a port the service already serves its API on ({string.Join(";", urls)}); the management port must be another.");
        urls.Add($"http://*:{port}");
        webHost.UseUrls([.. urls]);
    }

    /// <summary>The port of a server address such as http://+:8080 (the binder's wildcards are not valid URI hosts).</summary>
    private static int? PortOf(string url)
    {
        var normalized = System.Text.RegularExpressions.Regex.Replace(url, @"://[*+](?=[:/]|$)", "://wildcard");
        return Uri.TryCreate(normalized, UriKind.Absolute, out var uri) ? uri.Port : null;
    }

    private static List<string> SplitUrls(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>
    /// The Prometheus scrape endpoint, outside the OpenAPI document. With a management port it answers only
    /// there (the socket's local port decides, not the client's Host header) and is absent (404) on the
    /// public port; with a scrape token it wants <c>Authorization: Bearer &lt;token&gt;</c>, compared in constant time.
    /// </summary>
    public static void MapMetricsEndpoint(this WebApplication app, TelemetrySetup setup)
    {
        if (!setup.PrometheusEnabled) return;
        var expected = setup.ScrapeToken is { } token ? SHA256.HashData(Encoding.UTF8.GetBytes(token)) : null;
        app.MapPrometheusScrapingEndpoint(setup.PrometheusPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use((context, next) =>
            {
                if (setup.ManagementPort is { } port && context.Connection.LocalPort != port)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                if (expected is not null && !TokenMatches(context.Request, expected))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
                    return Task.CompletedTask;
                }

                return next(context);
            }), optionsName: null)
            .ExcludeFromDescription()
            .WithName("ScrapeMetrics");
    }

    /// <summary>Hashes first, so neither the comparison's time nor its length check says anything about the token.</summary>
    private static bool TokenMatches(HttpRequest request, byte[] expected)
    {
        var presented = ApiKeyAuthentication.BearerCredential(request);
        return presented is not null
               && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);
    }

    /// <summary>Requests that came in on the management port (plain HTTP from inside: no HTTPS redirect).</summary>
    public static bool OnManagementPort(HttpContext context, TelemetrySetup setup) =>
        setup.ManagementPort is { } port && context.Connection.LocalPort == port;
}
