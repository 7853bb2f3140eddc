using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.QiwiEmulator.State;

/// <summary>POSTs queued notifications to their hooks, as QIWI's payment-notifier did, re-queuing failures on QIWI's schedule.</summary>
public sealed class WebhookDispatcher(
    EmulatorState state, IHttpClientFactory httpClients, IOptions<EmulatorOptions> options, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    public const string HttpClientName = "qiwi-emulator-webhooks";

    // One pass at a time: when POST /admin/v1/webhooks/deliver returns, a pass the background loop
    // had started is finished too, so a test sees every due notification attempted.
    private readonly SemaphoreSlim _pass = new(1, 1);

    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var due = state.TakeDueDeliveries();
            await Task.WhenAll(due.Select(delivery => DeliverAsync(delivery, cancellationToken)));
            return due.Count;
        }
        finally
        {
            _pass.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        delivery.Attempts++;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.WebhookTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.OK) return;
            logger.LogInformation("Webhook {Url} answered {Status}", delivery.Url, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Webhook {Url} failed: {Error}", delivery.Url, ex.Message);
        }

        state.DeliveryFailed(delivery);
    }
}
