using System.Collections.Concurrent;
using System.Text.Json;
using Marketplace.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WebhookReceiverSample;

/// <summary>A storefront's receiver of marketplace webhooks (ASP.NET Core minimal API).</summary>
public static class MarketplaceWebhooks
{
    /// <param name="secrets">Your endpoint's secret (whsec_...); during a rotation, the new one and the old one.</param>
    /// <param name="handle">Your code: gets the event type and its data; throw to have the marketplace retry later.</param>
    public static void MapMarketplaceWebhooks(
        this WebApplication app, string path, Func<IReadOnlyList<string>> secrets, TimeProvider clock,
        Func<string, JsonElement, Task> handle)
    {
        // Event ids already handled. Keep them in your database (a unique index) in production:
        // the same event may arrive more than once (a retry after a timeout, a redelivery).
        var handled = new ConcurrentDictionary<string, bool>();

        app.MapPost(path, async (HttpRequest request) =>
        {
            // Verify the raw body exactly as received, before parsing it.
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var signature = request.Headers[WebhookSignature.HeaderName].ToString();
            if (!WebhookSignature.Verify(body, signature, secrets(), WebhookSignature.DefaultTolerance, clock.GetUtcNow()))
                return Results.Unauthorized();

            var eventId = request.Headers["Webhook-Id"].ToString();
            if (!handled.TryAdd(eventId, true)) return Results.Ok(); // seen before: acknowledge, do nothing

            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                await handle(root.GetProperty("type").GetString()!, root.GetProperty("data").Clone());
            }
            catch
            {
                handled.TryRemove(eventId, out _); // not handled after all: the retry must run it
                throw;
            }

            return Results.Ok(); // answer 2xx quickly; do slow work in the background
        });
    }
}
