using System.Net;
using System.Net.Http.Json;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Webhooks;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Webhooks;

/// <summary>The webhook calls of the API, as a storefront makes them.</summary>
public static class WebhookApi
{
    public static Task<HttpResponseMessage> CreateWebhookRawAsync(this ApiClient client, string url, params string[] eventTypes) =>
        client.Http.PostAsJsonAsync("/api/v1/webhooks", new { url, eventTypes, description = "test receiver" });

    public static async Task<WebhookEndpointWithSecretDto> CreateWebhookAsync(this ApiClient client, string url, params string[] eventTypes) =>
        await ApiClient.ReadAsync<WebhookEndpointWithSecretDto>(await client.CreateWebhookRawAsync(url, eventTypes), HttpStatusCode.Created);

    public static async Task<WebhookEndpointDto> GetWebhookAsync(this ApiClient client, Guid id) =>
        await ApiClient.ReadAsync<WebhookEndpointDto>(await client.Http.GetAsync($"/api/v1/webhooks/{id}"), HttpStatusCode.OK);

    public static async Task<PagedResult<WebhookDeliveryDto>> GetDeliveriesAsync(this ApiClient client, Guid id) =>
        await ApiClient.ReadAsync<PagedResult<WebhookDeliveryDto>>(await client.Http.GetAsync($"/api/v1/webhooks/{id}/deliveries?pageSize=100"), HttpStatusCode.OK);

    public static async Task<WebhookDeliveryDto> PingAsync(this ApiClient client, Guid id) =>
        await ApiClient.ReadAsync<WebhookDeliveryDto>(await client.Http.PostAsync($"/api/v1/webhooks/{id}/test", null), HttpStatusCode.Accepted);

    public static async Task<WebhookDeliveryDto> RedeliverAsync(this ApiClient client, Guid id, Guid deliveryId) =>
        await ApiClient.ReadAsync<WebhookDeliveryDto>(await client.Http.PostAsync($"/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", null),
            HttpStatusCode.Accepted);

    public static async Task<WebhookEndpointWithSecretDto> RotateSecretAsync(this ApiClient client, Guid id) =>
        await ApiClient.ReadAsync<WebhookEndpointWithSecretDto>(await client.Http.PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null), HttpStatusCode.OK);
}
