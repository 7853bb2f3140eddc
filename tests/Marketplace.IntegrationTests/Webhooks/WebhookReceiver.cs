using System.Collections.Concurrent;
using System.Net;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Marketplace.IntegrationTests.Webhooks;

/// <summary>A real HTTP receiver on loopback that records every webhook request and answers as the test says.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<HttpStatusCode> _answers = new();

    private WebhookReceiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Url = new Uri(baseAddress, "hooks").ToString();
    }

    public string Url { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Answered when no queued answer is left.</summary>
    public HttpStatusCode DefaultAnswer { get; set; } = HttpStatusCode.OK;

    public record Received(string Body, string EventId, string DeliveryId, string Timestamp, string Signature, string ContentType);

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebhookReceiver? receiver = null;
        var (app, address) = await LoopbackHost.StartAsync(_ => { }, app => app.MapPost("/hooks", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            receiver!.Requests.Enqueue(new Received(body, request.Headers["Webhook-Id"].ToString(), request.Headers["Webhook-Delivery-Id"].ToString(),
                request.Headers["Webhook-Timestamp"].ToString(), request.Headers["Marketplace-Signature"].ToString(), request.ContentType ?? ""));
            var status = receiver._answers.TryDequeue(out var next) ? next : receiver.DefaultAnswer;
            return Results.Text($"answer {(int)status}", statusCode: (int)status);
        }));
        receiver = new WebhookReceiver(app, address);
        return receiver;
    }

    public void AnswerNext(params HttpStatusCode[] answers)
    {
        foreach (var answer in answers) _answers.Enqueue(answer);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
