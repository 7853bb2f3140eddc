using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Application.Webhooks;
using Marketplace.Client;
using Marketplace.Domain.Webhooks;
using Marketplace.Infrastructure.Webhooks;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WebhookReceiverSample;

namespace Marketplace.IntegrationTests.Webhooks;

/// <summary>
/// docs/webhooks.md tells the truth: its C# receiver is docs/samples/WebhookReceiverSample.cs (compiled
/// into this project) and it works against the real service; the server's signer and the client's verifier agree.
/// </summary>
public sealed class WebhookDocsTests(PostgresServer postgres)
{
    private static string RepoRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Marketplace.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the test folder.");
    }

    [Fact]
    public void The_docs_show_the_sample_receiver_that_the_tests_compile_and_run()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "webhooks.md")).ReplaceLineEndings("\n");
        var sample = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "samples", "WebhookReceiverSample.cs")).ReplaceLineEndings("\n");
        var block = Regex.Match(doc, "<!-- sample: docs/samples/WebhookReceiverSample.cs -->\n```csharp\n(.*?)```", RegexOptions.Singleline);

        Assert.True(block.Success, "docs/webhooks.md must show the sample in a csharp block right after its marker comment.");
        Assert.Equal(sample, block.Groups[1].Value);
    }

    [Fact]
    public void Every_event_type_is_documented()
    {
        var doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "webhooks.md"));
        Assert.All(WebhookEventTypes.All.Append(WebhookEventTypes.Ping), type => Assert.Contains($"`{type}`", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void The_servers_signer_and_the_clients_verifier_agree()
    {
        var at = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        const string body = "{\"id\":\"evt_1\",\"type\":\"ping\",\"data\":{\"text\":\"пинг ✓\"}}";
        string[] secrets = [WebhookSecrets.New(), WebhookSecrets.New()];

        var server = WebhookSigner.Header(body, secrets, at);
        Assert.Equal(WebhookSignature.Sign(body, secrets, at), server);
        Assert.StartsWith($"t={at.ToUnixTimeSeconds()},v1=", server);
        Assert.True(WebhookSignature.Verify(body, server, [secrets[1]], at));
        Assert.True(WebhookSignature.Verify(body, server, ["whsec_other", secrets[0]], at.AddMinutes(4)));
        Assert.False(WebhookSignature.Verify(body, server, [secrets[0]], at.AddMinutes(5).AddSeconds(1)));
        Assert.False(WebhookSignature.Verify(body, server, [secrets[0]], at.AddMinutes(-5).AddSeconds(-1)));
        Assert.False(WebhookSignature.Verify(body, server, [], at));
        Assert.False(WebhookSignature.Verify(body, "v1=" + new string('0', 64), secrets, at)); // no timestamp
        Assert.False(WebhookSignature.Verify(body, $"t={at.ToUnixTimeSeconds()},t=1,v1=00", secrets, at)); // two timestamps
        Assert.True(WebhookSignature.Verify(body, server + ",v2=whatever", secrets, at)); // unknown schemes are ignored
        // Known vector: HMAC-SHA256("whsec_test", "1700000000.{}").
        Assert.Equal("t=1700000000,v1=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("whsec_test"u8, "1700000000.{}"u8)),
            WebhookSignature.Sign("{}", "whsec_test", DateTimeOffset.FromUnixTimeSeconds(1700000000)));
    }

    [Fact]
    public void The_retry_schedule_spans_about_three_days_with_bounded_jitter()
    {
        var total = TimeSpan.Zero;
        for (var attempt = 1; WebhookRetrySchedule.After(attempt, 0.5) is { } delay; attempt++) total += delay;
        Assert.InRange(total, TimeSpan.FromDays(2.5), TimeSpan.FromDays(3.5));
        Assert.Equal(TimeSpan.FromSeconds(27), WebhookRetrySchedule.After(1, 0));
        Assert.True(WebhookRetrySchedule.After(1, 0.999999) < TimeSpan.FromSeconds(33));
        Assert.Null(WebhookRetrySchedule.After(WebhookRetrySchedule.Delays.Count + 1, 0.5));
    }

    [Fact]
    public async Task The_sample_receiver_verifies_handles_once_and_refuses_forgeries()
    {
        await using var app = await MarketplaceApp.StartOnPostgresAsync(postgres);
        var trade = await TradeSetup.CreateAsync(app, items: 1);
        var handled = new List<(string Type, JsonElement Data)>();
        string? secret = null;
        var (receiver, address) = await LoopbackHost.StartAsync(_ => { }, web => web.MapMarketplaceWebhooks("/marketplace", () => [secret!], app.Clock,
            (type, data) =>
            {
                lock (handled) handled.Add((type, data));
                return Task.CompletedTask;
            }));
        await using var _ = receiver;
        var url = new Uri(address, "marketplace").ToString();
        var hook = await trade.Seller.CreateWebhookAsync(url, WebhookEventTypes.OrderCreated);
        secret = hook.Secret;
        var relay = app.Services.GetRequiredService<WebhookRelay>();

        var order = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        Assert.Equal(1, (await relay.RunOnceAsync(CancellationToken.None)).Succeeded);
        var first = Assert.Single((await trade.Seller.GetDeliveriesAsync(hook.Endpoint.Id)).Items);
        await trade.Seller.RedeliverAsync(hook.Endpoint.Id, first.Id);
        Assert.Equal(1, (await relay.RunOnceAsync(CancellationToken.None)).Succeeded); // acknowledged...

        var (type, data) = Assert.Single(handled); // ...but handled once: deduplicated by Webhook-Id
        Assert.Equal(WebhookEventTypes.OrderCreated, type);
        Assert.Equal(order.Id, data.GetProperty("id").GetGuid());

        using var forged = new HttpClient();
        var body = "{\"id\":\"evt_forged\",\"type\":\"order.delivered\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"data\":{}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body) };
        request.Headers.Add("Webhook-Id", "evt_forged");
        request.Headers.Add("Marketplace-Signature", WebhookSignature.Sign(body, "whsec_guessed", app.Clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.SendAsync(request)).StatusCode);
        Assert.Single(handled);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, (await trade.Seller.GetDeliveriesAsync(hook.Endpoint.Id)).Items[0].Status);
    }
}
