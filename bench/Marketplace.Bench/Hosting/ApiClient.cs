using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Application.Listings;
using Marketplace.Application.Orders;
using Marketplace.Application.Wallets;

namespace Marketplace.Bench.Hosting;

/// <summary>The service's public REST API, called as a storefront would: JSON over HTTP, bearer token.</summary>
public sealed class ApiClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public HttpClient Http { get; } = http;

    public async Task<ApiClient> SignUpAsync()
    {
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        const string password = "bench-password-1";
        await ReadAsync<JsonElement>(await Http.PostAsJsonAsync("/api/v1/auth/register", new { email, password }), null);
        var login = await ReadAsync<JsonElement>(await Http.PostAsJsonAsync("/api/v1/auth/login", new { email, password }), HttpStatusCode.OK);
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
        return this;
    }

    public async Task<WalletDto> ConnectQiwiWalletAsync(string account, string token, bool push = false) =>
        await ReadAsync<WalletDto>(await Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account, token, push }), HttpStatusCode.Created);

    public async Task<ListingDto> CreateListingAsync(Guid walletId, decimal price, int paymentWindowMinutes) =>
        await ReadAsync<ListingDto>(await Http.PostAsJsonAsync("/api/v1/listings", new
        {
            title = "Game key", description = "Activation key", category = "games",
            price = new { amount = price, currency = "RUB" }, walletId, paymentWindowMinutes,
        }), HttpStatusCode.Created);

    public async Task AddItemsAsync(Guid listingId, IReadOnlyList<string> items)
    {
        // The API takes at most 1000 items a request.
        foreach (var chunk in items.Chunk(1000))
            await ReadAsync<JsonElement>(await Http.PostAsJsonAsync($"/api/v1/listings/{listingId}/items", new { items = chunk }), HttpStatusCode.OK);
    }

    public async Task<OrderDto> PlaceOrderAsync(Guid listingId) =>
        await ReadAsync<OrderDto>(await Http.PostAsJsonAsync("/api/v1/orders", new { listingId, quantity = 1 }), HttpStatusCode.Created);

    public async Task<OrderDto> GetOrderAsync(Guid orderId) =>
        await ReadAsync<OrderDto>(await Http.GetAsync($"/api/v1/orders/{orderId}"), HttpStatusCode.OK);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode? expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (expected is { } status ? response.StatusCode != status : !response.IsSuccessStatusCode)
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
            return JsonSerializer.Deserialize<T>(body, Json)!;
        }
    }
}
