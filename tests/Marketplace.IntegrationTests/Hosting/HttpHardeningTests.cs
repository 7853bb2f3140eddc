using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>Browser-facing hardening on every response, CORS only for configured origins, and a fast 503 when the wallet is down.</summary>
public sealed class HttpHardeningTests(PostgresServer postgres)
{
    [Theory]
    [InlineData("/api/v1/info", "default-src 'none'")]
    [InlineData("/api/v1/listings", "default-src 'none'")]
    [InlineData("/api/v1/orders", "default-src 'none'")] // a 401 ProblemDetails gets the headers too
    [InlineData("/api/v1/nothing-here", "default-src 'none'")]
    [InlineData("/swagger/index.html", "script-src 'self'")]
    public async Task Every_response_carries_the_security_headers(string path, string csp)
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres);

        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains(csp, Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Swagger_ui_has_no_inline_script_the_policy_would_block()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres);

        var html = await app.CreateClient().GetStringAsync("/swagger/index.html");

        // script-src 'self' allows only script files: an inline <script> body would be blocked by the CSP.
        foreach (var script in html.Split("<script", StringSplitOptions.None).Skip(1))
            Assert.Contains("src=", script[..script.IndexOf('>', StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cross_origin_calls_are_refused_unless_the_origin_is_configured()
    {
        await using var closed = await MarketplaceApp.StartOnPostgresAsync(postgres);
        await using var open = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = "https://shop.example.com",
        });

        var byDefault = await Preflight(closed, "https://shop.example.com");
        var allowed = await Preflight(open, "https://shop.example.com");
        var other = await Preflight(open, "https://evil.example.net");

        Assert.False(byDefault.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("https://shop.example.com", Header(allowed, "Access-Control-Allow-Origin"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Connecting_a_wallet_while_its_api_hangs_is_a_503_within_seconds()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres);
        var qiwi = app.CreateEmulatorClient();
        var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var token = await qiwi.IssueTokenAsync(phone);
        var seller = await app.CreateApiClient().SignUpAsync();
        (await qiwi.Http.PutAsJsonAsync("admin/v1/faults", new { latencyMs = 60_000 })).EnsureSuccessStatusCode();

        var watch = Stopwatch.StartNew();
        var response = await seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token });
        watch.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"The caller waited {watch.Elapsed}.");
        Assert.Empty(await seller.Http.GetFromJsonAsync<JsonElement[]>("/api/v1/wallets") ?? []);
    }

    [Fact]
    public async Task Connecting_a_wallet_whose_api_is_unreachable_is_a_503()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var deadPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connections are refused
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Qiwi:BaseUrl"] = $"http://127.0.0.1:{deadPort}/",
        });
        var seller = await app.CreateApiClient().SignUpAsync();

        var response = await seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = "+79001234567", token = "0123456789abcdef" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    [InlineData("text/plain, image/png")]
    public async Task Errors_are_problem_json_whatever_the_client_accepts(string accept)
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Orders:RateLimit:PermitLimit"] = "1",
        });
        var trade = await TradeSetup.CreateAsync(app);
        var buyer = trade.Buyer.Http;
        buyer.DefaultRequestHeaders.Accept.ParseAdd(accept);
        var anonymous = app.CreateClient();
        anonymous.DefaultRequestHeaders.Accept.ParseAdd(accept);

        var notFound = await buyer.GetAsync($"/api/v1/orders/{Guid.NewGuid()}");
        var invalid = await buyer.PostAsJsonAsync("/api/v1/orders", new { listingId = trade.Listing.Id, quantity = 0 });
        var unauthorized = await anonymous.GetAsync("/api/v1/orders");
        var wrongLogin = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@example.com", password = "wrong-password-1" });
        await buyer.PostAsJsonAsync("/api/v1/orders", new { listingId = trade.Listing.Id, quantity = 1 });
        var limited = await buyer.PostAsJsonAsync("/api/v1/orders", new { listingId = trade.Listing.Id, quantity = 1 });

        foreach (var (response, status) in new[]
                 {
                     (notFound, HttpStatusCode.NotFound), (invalid, HttpStatusCode.BadRequest), (unauthorized, HttpStatusCode.Unauthorized),
                     (wrongLogin, HttpStatusCode.Unauthorized), (limited, HttpStatusCode.TooManyRequests),
                 })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.RequestMessage?.RequestUri}: expected {status}, got {response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal((int)status, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task A_live_service_redirects_plain_http_to_https_and_sends_hsts_but_health_stays_plain()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var realWallet = await EmulatorHost.StartAsync(clock, new Dictionary<string, string?> { ["QiwiEmulator:AnnounceAsEmulator"] = "false" });
        await using var live = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Marketplace:Mode"] = "Live",
        }, sharedEmulator: (realWallet, clock));
        await using var sandbox = await MarketplaceApp.StartOnPostgresAsync(postgres);
        var options = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false };

        options.BaseAddress = new Uri("http://market.example.com/");
        var plain = await live.CreateClient(options).GetAsync("/api/v1/info");
        var health = await live.CreateClient(options).GetAsync("/health/live");
        var sandboxPlain = await sandbox.CreateClient(options).GetAsync("/api/v1/info");
        options.BaseAddress = new Uri("https://market.example.com/");
        var secure = await live.CreateClient(options).GetAsync("/api/v1/info");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https://market.example.com/api/v1/info", plain.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Contains("max-age=31536000", Header(secure, "Strict-Transport-Security"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, sandboxPlain.StatusCode); // the sandbox serves plain HTTP (dotnet run, localhost)
        Assert.False(sandboxPlain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Forwarded_headers_are_trusted_only_from_configured_proxies()
    {
        await using var byDefault = await MarketplaceApp.StartOnPostgresAsync(postgres);
        await using var behindProxy = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["ReverseProxy:KnownProxies:0"] = "10.0.0.5",
        });

        var none = byDefault.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        var one = behindProxy.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Empty(none.KnownProxies); // not even loopback: a local process must not choose its client address
        Assert.Empty(none.KnownIPNetworks);
        Assert.Equal([IPAddress.Parse("10.0.0.5")], one.KnownProxies);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Rate_limits_count_an_ipv6_client_by_its_64(string remote, string partition)
    {
        var http = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(remote) } };

        Assert.Equal(partition, Marketplace.Api.Hosting.RateLimiting.ClientAddress(http));
    }

    private static async Task<HttpResponseMessage> Preflight(MarketplaceApp app, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/orders");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await app.CreateClient().SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"Response to {response.RequestMessage?.RequestUri} has no {name} header.");
}
