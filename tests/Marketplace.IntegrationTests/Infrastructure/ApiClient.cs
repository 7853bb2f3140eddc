using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Disputes;
using Marketplace.Application.Listings;
using Marketplace.Application.Orders;
using Marketplace.Application.Wallets;
using Marketplace.Application.Wallets.Transfers;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>Calls the public REST API the way a storefront would: JSON over HTTP, bearer token.</summary>
public sealed class ApiClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public HttpClient Http { get; } = http;

    /// <summary>The account's email and password, once signed up: a test may log in again elsewhere.</summary>
    public (string Email, string Password)? Credentials { get; private set; }

    public async Task<ApiClient> SignUpAsync(string? email = null, string password = "correct-horse-1")
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        (await Http.PostAsJsonAsync("/api/v1/auth/register", new { email, password })).EnsureSuccessStatusCode();
        return await LogInAsync(email, password);
    }

    public async Task<ApiClient> LogInAsync(string email, string password)
    {
        var login = await Http.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Credentials = (email, password);
        return this;
    }

    public async Task<WalletDto> ConnectQiwiWalletAsync(string account, string token) =>
        await ReadAsync<WalletDto>(await Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account, token }), HttpStatusCode.Created);

    public async Task<ListingDto> CreateListingAsync(
        Guid walletId, decimal price = 150.00m, string currency = "RUB", int? paymentWindowMinutes = null, int? maxQuantityPerOrder = null) =>
        await ReadAsync<ListingDto>(await Http.PostAsJsonAsync("/api/v1/listings", new
        {
            title = "Game key", description = "Activation key", category = "games",
            price = new { amount = price, currency }, walletId, paymentWindowMinutes, maxQuantityPerOrder,
        }), HttpStatusCode.Created);

    public async Task<JsonElement> AddItemsAsync(Guid listingId, params string[] items) =>
        await ReadAsync<JsonElement>(await Http.PostAsJsonAsync($"/api/v1/listings/{listingId}/items", new { items }), HttpStatusCode.OK);

    public Task<HttpResponseMessage> PlaceOrderRawAsync(Guid listingId, int quantity) =>
        Http.PostAsJsonAsync("/api/v1/orders", new { listingId, quantity });

    public async Task<OrderDto> PlaceOrderAsync(Guid listingId, int quantity = 1) =>
        await ReadAsync<OrderDto>(await PlaceOrderRawAsync(listingId, quantity), HttpStatusCode.Created);

    public Task<HttpResponseMessage> CancelOrderRawAsync(Guid orderId) =>
        Http.PostAsync($"/api/v1/orders/{orderId}/cancel", content: null);

    public async Task<OrderDto> CancelOrderAsync(Guid orderId) =>
        await ReadAsync<OrderDto>(await CancelOrderRawAsync(orderId), HttpStatusCode.OK);

    public async Task<OrderDto> GetOrderAsync(Guid orderId) =>
        await ReadAsync<OrderDto>(await Http.GetAsync($"/api/v1/orders/{orderId}"), HttpStatusCode.OK);

    public Task<HttpResponseMessage> GetItemsRawAsync(Guid orderId) => Http.GetAsync($"/api/v1/orders/{orderId}/items");

    /// <summary>The delivered items' payloads (buyer only), in delivery order.</summary>
    public async Task<IReadOnlyList<string>> GetItemsAsync(Guid orderId) =>
        (await GetDeliveredItemsAsync(orderId)).Select(i => i.Payload).ToList();

    public async Task<IReadOnlyList<DeliveredItemDto>> GetDeliveredItemsAsync(Guid orderId) =>
        await ReadAsync<List<DeliveredItemDto>>(await GetItemsRawAsync(orderId), HttpStatusCode.OK);

    public Task<HttpResponseMessage> ConfirmReceiptRawAsync(Guid orderId) => Http.PostAsync($"/api/v1/orders/{orderId}/confirm", content: null);

    public Task<HttpResponseMessage> OpenDisputeRawAsync(Guid orderId, string reason = "KeyInvalid", string description = "The key says it was already used") =>
        Http.PostAsJsonAsync($"/api/v1/orders/{orderId}/disputes", new { reason, description });

    public async Task<DisputeDto> OpenDisputeAsync(Guid orderId, string reason = "KeyInvalid", string description = "The key says it was already used") =>
        await ReadAsync<DisputeDto>(await OpenDisputeRawAsync(orderId, reason, description), HttpStatusCode.Created);

    public Task<HttpResponseMessage> GetDisputeRawAsync(Guid disputeId) => Http.GetAsync($"/api/v1/disputes/{disputeId}");

    public async Task<DisputeDto> GetDisputeAsync(Guid disputeId) =>
        await ReadAsync<DisputeDto>(await GetDisputeRawAsync(disputeId), HttpStatusCode.OK);

    /// <summary>POST /disputes/{id}/{action} (messages, replace, contest, withdraw, decision) with an optional JSON body.</summary>
    public Task<HttpResponseMessage> DisputeActionRawAsync(Guid disputeId, string action, object? body = null) =>
        body is null
            ? Http.PostAsync($"/api/v1/disputes/{disputeId}/{action}", content: null)
            : Http.PostAsJsonAsync($"/api/v1/disputes/{disputeId}/{action}", body);

    public async Task<DisputeDto> DisputeActionAsync(Guid disputeId, string action, object? body = null) =>
        await ReadAsync<DisputeDto>(await DisputeActionRawAsync(disputeId, action, body), HttpStatusCode.OK);

    public async Task<ListingDto> GetListingAsync(Guid listingId) =>
        await ReadAsync<ListingDto>(await Http.GetAsync($"/api/v1/listings/{listingId}"), HttpStatusCode.OK);

    public async Task<PagedResult<WalletTransferDto>> GetTransfersAsync(Guid walletId, bool? inbox = null) =>
        await ReadAsync<PagedResult<WalletTransferDto>>(
            await Http.GetAsync($"/api/v1/wallets/{walletId}/transfers?pageSize=100" + (inbox is { } i ? $"&inbox={(i ? "true" : "false")}" : "")),
            HttpStatusCode.OK);

    public Task<HttpResponseMessage> AttachTransferRawAsync(Guid walletId, Guid transferId, Guid orderId) =>
        Http.PostAsJsonAsync($"/api/v1/wallets/{walletId}/transfers/{transferId}/attach", new { orderId });

    public Task<HttpResponseMessage> ResolveTransferRawAsync(Guid walletId, Guid transferId, string note) =>
        Http.PostAsJsonAsync($"/api/v1/wallets/{walletId}/transfers/{transferId}/resolve", new { note });

    public Task<HttpResponseMessage> ClaimPaymentRawAsync(Guid orderId, string transactionId, string payerAccount) =>
        Http.PostAsJsonAsync($"/api/v1/orders/{orderId}/payment-claims", new { transactionId, payerAccount });

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }
}
