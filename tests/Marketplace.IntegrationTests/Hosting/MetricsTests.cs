using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Marketplace.Api.Hosting;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Orders;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.IntegrationTests.Trade;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>Runs alone: every host's "Marketplace" meter reaches every MeterProvider in the process, so parallel apps would add to these counts.</summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;

/// <summary>
/// The Prometheus scrape endpoint: our own instruments move with a trade and a matcher pass, and the endpoint is
/// protected as configured (scrape token, management port; a Live service refuses it open on the public port).
/// </summary>
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests(PostgresServer postgres)
{
    private const string Token = "scrape-token-for-these-tests-0001";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_trade_and_a_matcher_pass_show_in_the_scraped_metrics()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres);
        var trade = await TradeSetup.CreateAsync(app, items: 1);
        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var other = await app.CreateApiClient().SignUpAsync();
        var refused = await other.PlaceOrderRawAsync(trade.Listing.Id, 1);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, order.Payment.Amount, order.Payment.Comment);
        await app.Watcher.RunOnceAsync(Ct);
        Assert.Equal(OrderStatus.Delivered, (await trade.Buyer.GetOrderAsync(order.Id)).Status);

        var metrics = await ScrapeAsync(app.CreateClient());

        Assert.Equal(1, Value(metrics, "marketplace_orders_placed_total"));
        Assert.Equal(1, Value(metrics, "marketplace_orders_rejected_total", "reason=\"order.out_of_stock\""));
        Assert.Equal(1, Value(metrics, "marketplace_orders_reservation_duration_seconds_count", "outcome=\"placed\""));
        Assert.Equal(1, Value(metrics, "marketplace_orders_reservation_duration_seconds_count", "outcome=\"rejected\""));
        Assert.Equal(1, Value(metrics, "marketplace_matcher_pass_duration_seconds_count"));
        Assert.Equal(1, Value(metrics, "marketplace_matcher_pass_wallets_sum"));
        Assert.True(Value(metrics, "marketplace_matcher_wallet_requests_sum", "provider=\"qiwi\"") >= 1, metrics);
        Assert.Equal(1, Value(metrics, "marketplace_matcher_wallet_lag_seconds_count", "provider=\"qiwi\""));
        Assert.NotNull(Value(metrics, "marketplace_matcher_wallet_lag_max_seconds"));
        Assert.Equal(1, Value(metrics, "marketplace_payments_transfers_recorded_total", "outcome=\"accepted\""));
        Assert.Equal(1, Value(metrics, "marketplace_orders_payment_to_delivery_duration_seconds_count"));
        Assert.Equal(0, Value(metrics, "marketplace_webhooks_outbox_backlog"));
        // The instrumentation families are there too.
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", metrics, StringComparison.Ordinal);
        Assert.Contains("db_client_", metrics, StringComparison.Ordinal);
        // No wallet, order or account id is ever a label.
        Assert.DoesNotContain(trade.SellerWallet.Id.ToString(), metrics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(order.Id.ToString(), metrics, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_rejected_order_is_counted_by_its_reason()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Orders:Limits:MaxUnpaidOrdersPerBuyer"] = "1",
        });
        var trade = await TradeSetup.CreateAsync(app, items: 5);
        await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        Assert.Equal(HttpStatusCode.Conflict, (await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1)).StatusCode);
        // A malformed request is neither placed nor rejected: it never reaches the handler.
        Assert.Equal(HttpStatusCode.BadRequest, (await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 0)).StatusCode);

        var metrics = await ScrapeAsync(app.CreateClient());

        Assert.Equal(2, Value(metrics, "marketplace_orders_rejected_total", "reason=\"order.too_many_unpaid\""));
        Assert.Equal(1, Value(metrics, "marketplace_orders_placed_total"));
        Assert.Null(Value(metrics, "marketplace_orders_rejected_total", "reason=\"order.out_of_stock\""));
    }

    [Fact]
    public async Task The_scrape_token_is_required_when_configured()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            [TelemetrySetup.ScrapeTokenKey] = Token,
        });
        var http = app.CreateClient();

        var without = await http.GetAsync("/metrics", Ct);
        var wrong = await SendAsync(http, "/metrics", Token + "x");
        var shorter = await SendAsync(http, "/metrics", Token[..^1]);
        var right = await SendAsync(http, "/metrics", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("Bearer", without.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, shorter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("# TYPE", await right.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_path_is_configurable_and_the_endpoint_is_not_in_the_api_document()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            [TelemetrySetup.PrometheusPathKey] = "/internal/prometheus",
        });
        var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/internal/prometheus", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics", Ct)).StatusCode);
        var document = await http.GetStringAsync("/swagger/v1/swagger.json", Ct);
        Assert.DoesNotContain("prometheus", document, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"/metrics\"", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_there_is_no_endpoint()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            [TelemetrySetup.PrometheusEnabledKey] = "false",
        });
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/metrics", Ct)).StatusCode);
    }

    [Fact]
    public async Task With_a_management_port_the_endpoint_is_absent_on_the_public_port_even_with_a_forged_host()
    {
        // Under TestServer every request arrives on "port 0": the public port, never the management one.
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            [TelemetrySetup.PrometheusPortKey] = "9464",
        });
        var http = app.CreateClient();
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        forged.Headers.Host = "localhost:9464";

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(forged, Ct)).StatusCode);
    }

    [Fact]
    public async Task On_real_sockets_the_management_port_serves_the_metrics_and_the_public_port_does_not()
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-metrics-" + Guid.NewGuid().ToString("N")[..8]);
        var (publicPort, managementPort) = (FreePort(), FreePort());
        var app = new KestrelApp(folder, new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{publicPort}",
            [TelemetrySetup.PrometheusPortKey] = managementPort.ToString(CultureInfo.InvariantCulture),
        });
        try
        {
            app.UseKestrel();
            app.StartServer();
            using var http = new HttpClient();

            var onManagement = await http.GetAsync($"http://127.0.0.1:{managementPort}/metrics", Ct);
            var onPublic = await http.GetAsync($"http://127.0.0.1:{publicPort}/metrics", Ct);
            var healthOnPublic = await http.GetAsync($"http://127.0.0.1:{publicPort}/health/live", Ct);

            Assert.Equal(HttpStatusCode.OK, onManagement.StatusCode);
            Assert.Contains("# TYPE", await onManagement.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
            Assert.Equal(HttpStatusCode.OK, healthOnPublic.StatusCode); // the public port still serves the service
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task A_live_service_is_scraped_over_plain_http_on_its_management_port_only()
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-metrics-" + Guid.NewGuid().ToString("N")[..8]);
        var (publicPort, managementPort) = (FreePort(), FreePort());
        var app = new KestrelApp(folder, new Dictionary<string, string?>
        {
            ["Marketplace:Mode"] = "Live",
            ["QiwiEmulator:Embedded"] = "false",
            ["Qiwi:BaseUrl"] = "http://127.0.0.1:9/", // never called: nothing here reads a wallet
            ["Qiwi:PaymentFormBaseUrl"] = "https://qiwi.com/",
            ["urls"] = $"http://127.0.0.1:{publicPort}",
            [TelemetrySetup.PrometheusPortKey] = managementPort.ToString(CultureInfo.InvariantCulture),
        });
        try
        {
            app.UseKestrel();
            app.StartServer();
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

            var onManagement = await http.GetAsync($"http://127.0.0.1:{managementPort}/metrics", Ct);
            var onPublic = await http.GetAsync($"http://127.0.0.1:{publicPort}/metrics", Ct);

            Assert.Equal(HttpStatusCode.OK, onManagement.StatusCode); // no HTTPS redirect from inside
            Assert.Equal(HttpStatusCode.TemporaryRedirect, onPublic.StatusCode); // the public port: HTTPS first, and then 404
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public void A_management_port_that_is_the_public_port_is_refused()
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-metrics-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePort();
        var app = new KestrelApp(folder, new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            [TelemetrySetup.PrometheusPortKey] = port.ToString(CultureInfo.InvariantCulture),
        });
        try
        {
            app.UseKestrel();
            var error = Assert.ThrowsAny<Exception>(app.StartServer);
            Assert.Contains("the management port must be another", Flatten(error), StringComparison.Ordinal);
        }
        finally
        {
            app.Dispose();
            TempFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task With_an_otlp_endpoint_traces_and_metrics_are_pushed_to_the_collector()
    {
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Path, string? ContentType)>();
        var (collector, address) = await LoopbackHost.StartAsync(_ => { }, web => web.MapPost("/v1/{signal}", (Microsoft.AspNetCore.Http.HttpRequest request) =>
        {
            received.Enqueue((request.Path.Value!, request.ContentType));
            return Microsoft.AspNetCore.Http.Results.Ok();
        }));
        try
        {
            await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
            {
                [TelemetrySetup.OtlpEndpointKey] = address.ToString(),
                [TelemetrySetup.OtlpProtocolKey] = "http/protobuf",
            });
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/v1/listings", Ct)).StatusCode);

            // Export now rather than wait for the exporters' intervals: a flush sends and waits for the collector's answer.
            // (The meter provider's flush may report false: its Prometheus reader is pulled, not pushed. The OTLP
            // reader beside it exports all the same, which the assertions below check.)
            app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);
            app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);

            Assert.Contains(received, r => r.Path == "/v1/traces" && r.ContentType == "application/x-protobuf");
            Assert.Contains(received, r => r.Path == "/v1/metrics" && r.ContentType == "application/x-protobuf");
        }
        finally
        {
            await collector.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_live_service_refuses_to_start_with_open_metrics_on_the_public_port()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Marketplace:Mode"] = "Live",
            [TelemetrySetup.ScrapeTokenKey] = null,
        }));

        Assert.Contains("does not serve its metrics (/metrics) on the public port without a scrape token", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_live_service_serves_its_metrics_only_with_the_token()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Marketplace:Mode"] = "Live",
            [TelemetrySetup.ScrapeTokenKey] = Token,
        });
        var http = app.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "/metrics", Token)).StatusCode);
    }

    [Theory]
    // mode, enabled, port, token, path, what the refusal names (null: starts)
    [InlineData("Live", null, null, null, null, "without a scrape token")]
    [InlineData("Live", "true", null, "  ", null, "without a scrape token")]
    [InlineData("Live", null, "9464", null, null, null)]
    [InlineData("Live", null, null, Token, null, null)]
    [InlineData("Live", "false", null, null, null, null)]
    [InlineData("Sandbox", null, null, null, null, null)]
    [InlineData("Sandbox", null, null, "short", null, "at least 16 characters")]
    [InlineData("Sandbox", null, "0", null, null, "must be a TCP port")]
    [InlineData("Sandbox", null, "70000", null, null, "must be a TCP port")]
    [InlineData("Sandbox", null, "x", null, null, "must be a TCP port")]
    [InlineData("Sandbox", "maybe", null, null, null, "must be true or false")]
    [InlineData("Sandbox", null, null, null, "metrics", "must be a path")]
    [InlineData("Sandbox", null, null, null, "/a b", "must be a path")]
    public void The_telemetry_settings_are_checked_at_start_up(string mode, string? enabled, string? port, string? token, string? path, string? refusal)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetrySetup.PrometheusEnabledKey] = enabled,
            [TelemetrySetup.PrometheusPortKey] = port,
            [TelemetrySetup.ScrapeTokenKey] = token,
            [TelemetrySetup.PrometheusPathKey] = path,
        }).Build();
        var operating = new OperatingMode(Enum.Parse<ServiceMode>(mode));

        if (refusal is null)
        {
            var setup = TelemetrySetup.From(configuration, operating);
            Assert.Equal(enabled != "false", setup.PrometheusEnabled);
            Assert.False(setup.Tracing); // no OTLP endpoint: no spans recorded
            return;
        }

        var error = Assert.Throws<InvalidOperationException>(() => TelemetrySetup.From(configuration, operating));
        Assert.Contains(refusal, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Otlp_export_is_on_only_when_an_endpoint_is_configured()
    {
        static TelemetrySetup With(params (string Key, string Value)[] settings) => TelemetrySetup.From(
            new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build(),
            new OperatingMode(ServiceMode.Sandbox));

        Assert.False(With().Tracing);
        Assert.True(With((TelemetrySetup.OtlpEnvironmentKey, "http://collector:4317")).Tracing);
        var configured = With((TelemetrySetup.OtlpEndpointKey, "http://collector:4318"), (TelemetrySetup.OtlpProtocolKey, "http/protobuf"));
        Assert.True(configured.Tracing);
        Assert.Equal(new Uri("http://collector:4318"), configured.OtlpEndpoint);
        Assert.Throws<InvalidOperationException>(() => With((TelemetrySetup.OtlpEndpointKey, "collector:4317")));
        Assert.Throws<InvalidOperationException>(() => With((TelemetrySetup.OtlpProtocolKey, "udp")));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request, Ct);
    }

    /// <summary>One scrape: the exporter keeps no scrape cache, so it shows every measurement taken before it.</summary>
    private static Task<string> ScrapeAsync(HttpClient http) => http.GetStringAsync("/metrics", Ct);

    /// <summary>The value of one series: the metric name, and a label it must carry (any other labels allowed).</summary>
    private static double? Value(string metrics, string name, string? label = null)
    {
        foreach (var line in metrics.Split('\n'))
        {
            var match = Regex.Match(line, @"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)");
            if (!match.Success || match.Groups["name"].Value != name) continue;
            if (label is not null && !match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)) continue;
            return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Flatten(Exception exception) =>
        exception is AggregateException aggregate ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(Flatten))
        : exception.InnerException is { } inner ? exception.Message + " | " + Flatten(inner) : exception.Message;

    /// <summary>The service on real sockets (SQLite, embedded emulator, all in one scratch folder).</summary>
    private sealed class KestrelApp(string folder, Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Marketplace:Mode", "Sandbox");
            builder.UseSetting("ConnectionStrings:Marketplace", $"Data Source={Path.Combine(folder, "marketplace.db")}");
            builder.UseSetting("Secrets:KeyFile", Path.Combine(folder, "secret-keys.json"));
            builder.UseSetting("QiwiEmulator:StateFile", Path.Combine(folder, "qiwi-emulator.json"));
            builder.UseSetting("PaymentWatcher:Enabled", "false");
            builder.UseSetting("AfterDelivery:Enabled", "false");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        }
    }
}
