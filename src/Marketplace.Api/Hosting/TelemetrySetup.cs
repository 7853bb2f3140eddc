using Marketplace.Application.Common.Models;
using OpenTelemetry.Exporter;

namespace Marketplace.Api.Hosting;

/// <summary>
/// How this process exposes its telemetry, decided once at start-up (like <see cref="ServiceModeSetup"/>):
/// <list type="bullet">
/// <item>a Prometheus scrape endpoint (<c>/metrics</c> by default), optionally only on a management port and/or
/// behind a scrape token. A Live service refuses to start with it on the public port and no token: the
/// metrics name wallets' providers, refusal reasons and volumes a competitor would like to read;</item>
/// <item>OTLP export of traces and metrics, only when an endpoint is configured.</item>
/// </list>
/// </summary>
public sealed record TelemetrySetup(
    bool PrometheusEnabled, string PrometheusPath, int? ManagementPort, string? ScrapeToken,
    Uri? OtlpEndpoint, OtlpExportProtocol OtlpProtocol, bool OtlpFromEnvironment)
{
    public const string PrometheusEnabledKey = "Telemetry:Prometheus:Enabled";
    public const string PrometheusPathKey = "Telemetry:Prometheus:Path";
    public const string PrometheusPortKey = "Telemetry:Prometheus:Port";
    public const string ScrapeTokenKey = "Telemetry:Prometheus:ScrapeToken";
    public const string OtlpEndpointKey = "Telemetry:Otlp:Endpoint";
    public const string OtlpProtocolKey = "Telemetry:Otlp:Protocol";
    /// <summary>The OpenTelemetry SDK's own variable; the exporter reads it (and its siblings) itself.</summary>
    public const string OtlpEnvironmentKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string DefaultPath = "/metrics";
    /// <summary>A token shorter than this is guessable; generate one, e.g. <c>openssl rand -base64 32</c>.</summary>
    public const int MinTokenLength = 16;

    /// <summary>Traces cost a span per request and query: recorded only when something receives them.</summary>
    public bool Tracing => OtlpEndpoint is not null || OtlpFromEnvironment;

    public static TelemetrySetup From(IConfiguration configuration, OperatingMode mode)
    {
        var enabled = ParseBool(configuration, PrometheusEnabledKey, true);
        var path = configuration[PrometheusPathKey];
        path = string.IsNullOrWhiteSpace(path) ? DefaultPath : path.Trim();
        if (!path.StartsWith('/') || path.Length < 2 || path.Contains("//", StringComparison.Ordinal) || path.Any(c => char.IsWhiteSpace(c) || c is '?' or '#' or '{' or '}'))
            throw new InvalidOperationException($"{PrometheusPathKey} is '{path}'; it must be a path such as /metrics.");

        int? port = null;
        var portSetting = configuration[PrometheusPortKey];
        if (!string.IsNullOrWhiteSpace(portSetting))
        {
            if (!int.TryParse(portSetting, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 65535)
                throw new InvalidOperationException($"{PrometheusPortKey} is '{portSetting}'; it must be a TCP port (1-65535).");
            port = parsed;
        }

        var token = configuration[ScrapeTokenKey];
        token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        if (token is { Length: < MinTokenLength })
            throw new InvalidOperationException($"{ScrapeTokenKey} must be at least {MinTokenLength} characters (a random secret, e.g. openssl rand -base64 32).");

        if (enabled && mode.Mode == ServiceMode.Live && port is null && token is null)
            throw new InvalidOperationException(
                $"A Live service does not serve its metrics ({path}) on the public port without a scrape token: set {PrometheusPortKey} " +
                $"(a management port kept off the internet), or {ScrapeTokenKey} (scrapers send it as a bearer token), or {PrometheusEnabledKey}=false.");

        Uri? otlp = null;
        var otlpSetting = configuration[OtlpEndpointKey];
        if (!string.IsNullOrWhiteSpace(otlpSetting)
            && (!Uri.TryCreate(otlpSetting.Trim(), UriKind.Absolute, out otlp) || otlp.Scheme is not ("http" or "https")))
            throw new InvalidOperationException($"{OtlpEndpointKey} '{otlpSetting}' must be an absolute http or https URL (an OpenTelemetry collector).");

        var protocolSetting = configuration[OtlpProtocolKey];
        var protocol = string.IsNullOrWhiteSpace(protocolSetting) ? OtlpExportProtocol.Grpc : protocolSetting.Trim().ToLowerInvariant() switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new InvalidOperationException($"{OtlpProtocolKey} is '{protocolSetting}'; it must be grpc or http/protobuf."),
        };

        return new TelemetrySetup(enabled, path, port, token, otlp, protocol,
            otlp is null && !string.IsNullOrWhiteSpace(configuration[OtlpEnvironmentKey]));
    }

    private static bool ParseBool(IConfiguration configuration, string key, bool fallback)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        return bool.TryParse(value, out var parsed) ? parsed : throw new InvalidOperationException($"{key} is '{value}'; it must be true or false.");
    }
}
