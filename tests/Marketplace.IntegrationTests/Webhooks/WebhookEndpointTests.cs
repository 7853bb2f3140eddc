using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Webhooks;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Webhooks;

/// <summary>Registering and managing webhook endpoints: the secret shown once, the per-account cap, owners only, URL rules.</summary>
public sealed class WebhookEndpointTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_secret_is_shown_once_and_the_endpoint_is_listed_without_it()
    {
        var owner = await _app.CreateApiClient().SignUpAsync();
        var response = await owner.CreateWebhookRawAsync("http://127.0.0.1:9/hooks", "order.delivered", "order.created", "order.delivered");
        var created = await ApiClient.ReadAsync<WebhookEndpointWithSecretDto>(response, HttpStatusCode.Created);

        Assert.Equal($"/api/v1/webhooks/{created.Endpoint.Id}", response.Headers.Location!.OriginalString);
        Assert.StartsWith("whsec_", created.Secret);
        Assert.True(created.Secret.Length >= 40);
        Assert.Equal(["order.created", "order.delivered"], created.Endpoint.EventTypes); // deduplicated, sorted
        Assert.True(created.Endpoint.Enabled);
        foreach (var body in new[]
                 {
                     await owner.Http.GetStringAsync("/api/v1/webhooks"),
                     await owner.Http.GetStringAsync($"/api/v1/webhooks/{created.Endpoint.Id}"),
                 })
        {
            Assert.DoesNotContain(created.Secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain("secret\"", body, StringComparison.OrdinalIgnoreCase);
        }

        var changed = await ApiClient.ReadAsync<WebhookEndpointDto>(await owner.Http.PatchAsJsonAsync($"/api/v1/webhooks/{created.Endpoint.Id}",
            new { eventTypes = new[] { "dispute.opened" }, enabled = false }), HttpStatusCode.OK);
        Assert.Equal(["dispute.opened"], changed.EventTypes);
        Assert.False(changed.Enabled);
        Assert.Equal("Disabled by the owner", changed.DisabledReason);
        Assert.Equal("http://127.0.0.1:9/hooks", changed.Url); // absent fields stay

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/v1/webhooks/{created.Endpoint.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"/api/v1/webhooks/{created.Endpoint.Id}")).StatusCode);
    }

    [Fact]
    public async Task An_account_has_at_most_ten_endpoints_even_when_created_at_once()
    {
        var owner = await _app.CreateApiClient().SignUpAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 14).Select(i => owner.CreateWebhookRawAsync($"http://127.0.0.1:9/hooks/{i}", "order.created")));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(10, (await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/webhooks")).GetArrayLength());
        var refused = await owner.CreateWebhookRawAsync("http://127.0.0.1:9/hooks/more", "order.created");
        Assert.Equal("webhook.limit_reached", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_stranger_can_neither_see_nor_change_another_accounts_endpoints()
    {
        var owner = await _app.CreateApiClient().SignUpAsync();
        var stranger = await _app.CreateApiClient().SignUpAsync();
        var hook = await owner.CreateWebhookAsync("http://127.0.0.1:9/hooks", "order.created");
        var id = hook.Endpoint.Id;
        var delivery = await owner.PingAsync(id);

        Assert.Equal(0, (await stranger.Http.GetFromJsonAsync<JsonElement>("/api/v1/webhooks")).GetArrayLength());
        var calls = new Func<Task<HttpResponseMessage>>[]
        {
            () => stranger.Http.GetAsync($"/api/v1/webhooks/{id}"),
            () => stranger.Http.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { url = "http://127.0.0.1:9/mine" }),
            () => stranger.Http.DeleteAsync($"/api/v1/webhooks/{id}"),
            () => stranger.Http.PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null),
            () => stranger.Http.PostAsync($"/api/v1/webhooks/{id}/test", null),
            () => stranger.Http.GetAsync($"/api/v1/webhooks/{id}/deliveries"),
            () => stranger.Http.PostAsync($"/api/v1/webhooks/{id}/deliveries/{delivery.Id}/redeliver", null),
        };
        foreach (var call in calls) Assert.Equal(HttpStatusCode.NotFound, (await call()).StatusCode);

        var unchanged = await owner.GetWebhookAsync(id);
        Assert.Equal("http://127.0.0.1:9/hooks", unchanged.Url);
        Assert.Single((await owner.GetDeliveriesAsync(id)).Items);
    }

    [Theory]
    [InlineData("not a url", "url")]
    [InlineData("/relative/path", "url")]
    [InlineData("ftp://example.com/hooks", "url")]
    [InlineData("https://user:pass@example.com/hooks", "url")]
    public async Task A_malformed_url_or_event_type_is_a_400_naming_the_field(string url, string field)
    {
        var owner = await _app.CreateApiClient().SignUpAsync();
        await AssertBadRequestAsync(await owner.CreateWebhookRawAsync(url, "order.created"), field);
        await AssertBadRequestAsync(await owner.CreateWebhookRawAsync("https://example.com/" + new string('a', 2048), "order.created"), "url");
        await AssertBadRequestAsync(await owner.CreateWebhookRawAsync("https://example.com/hooks", "order.shipped"), "eventTypes");
        await AssertBadRequestAsync(await owner.CreateWebhookRawAsync("https://example.com/hooks"), "eventTypes");
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }
}

/// <summary>A Live service calls only public https receivers: no plain http, no loopback, private or link-local hosts (SSRF).</summary>
public sealed class WebhookLiveTargetTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?> { ["Marketplace:Mode"] = "Live" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://localhost/hooks")]
    [InlineData("https://shop.localhost/hooks")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://192.168.1.10:8443/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks")]
    [InlineData("https://[fd00::1]/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    public async Task A_receiver_on_a_non_public_address_is_refused(string url)
    {
        var owner = await _app.CreateApiClient().SignUpAsync();
        var response = await owner.CreateWebhookRawAsync(url, "order.created");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal("webhook.url_not_allowed", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.Equal(0, (await owner.Http.GetFromJsonAsync<JsonElement>("/api/v1/webhooks")).GetArrayLength());
    }

    [Fact]
    public async Task Plain_http_is_refused_in_live_and_a_public_https_address_is_accepted()
    {
        var owner = await _app.CreateApiClient().SignUpAsync();
        var http = await owner.CreateWebhookRawAsync("http://93.184.215.14/hooks", "order.created");
        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);

        var created = await owner.CreateWebhookAsync("https://93.184.215.14/hooks", "order.created"); // an IP literal: no DNS needed
        var moved = await owner.Http.PatchAsJsonAsync($"/api/v1/webhooks/{created.Endpoint.Id}", new { url = "https://127.0.0.1/hooks" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, moved.StatusCode); // a change of URL is checked too
    }
}
