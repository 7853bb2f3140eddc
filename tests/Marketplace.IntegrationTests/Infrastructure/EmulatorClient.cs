using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>The emulator's admin API, and a buyer paying through the real QIWI transfer call.</summary>
public sealed class EmulatorClient
{
    private static long _lastClientId;

    /// <param name="adminKey">Sent as X-Emulator-Admin-Key on every request of <paramref name="http"/>.</param>
    public EmulatorClient(HttpClient http, string adminKey = EmulatorHost.AdminKey)
    {
        http.DefaultRequestHeaders.Add("X-Emulator-Admin-Key", adminKey);
        Http = http;
    }

    public HttpClient Http { get; }

    /// <summary>A fresh wallet number per call, so tests sharing an emulator never collide.</summary>
    public static string NewPhone() => "+7900" + Random.Shared.NextInt64(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    public async Task<string> CreateWalletAsync(string phone, decimal balance = 0m)
    {
        (await Http.PostAsJsonAsync("admin/v1/wallets", new { phone, balance })).EnsureSuccessStatusCode();
        return phone;
    }

    public async Task<string> IssueTokenAsync(string phone, params string[] groups)
    {
        var response = await Http.PostAsJsonAsync($"admin/v1/wallets/{phone.TrimStart('+')}/tokens",
            new { groups = groups.Length == 0 ? null : groups });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A wallet-to-wallet transfer exactly as a buyer's QIWI client would send it (contract §6.1).</summary>
    public async Task<HttpResponseMessage> TransferAsync(string buyerToken, string recipient, decimal amount, string? comment, string? clientId = null)
    {
        clientId ??= Interlocked.Increment(ref _lastClientId).ToString(CultureInfo.InvariantCulture)
                     + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)[^6..];
        using var request = new HttpRequestMessage(HttpMethod.Post, "sinap/api/v2/terms/99/payments")
        {
            Content = JsonContent.Create(new
            {
                id = clientId,
                sum = new { amount, currency = "643" },
                paymentMethod = new { type = "Account", accountId = "643" },
                comment,
                fields = new { account = recipient },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", buyerToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await Http.SendAsync(request);
    }

    public async Task PayAsync(string buyerToken, string recipient, decimal amount, string? comment)
    {
        var response = await TransferAsync(buyerToken, recipient, amount, comment);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Puts an entry straight into a wallet's history: a transfer from outside, in any status or currency.</summary>
    public async Task<long> InjectIncomingAsync(string phone, decimal amount, string? comment, string status = "SUCCESS", int currency = 643, DateTimeOffset? date = null)
    {
        var response = await Http.PostAsJsonAsync($"admin/v1/wallets/{phone.TrimStart('+')}/transactions",
            new { type = "IN", status, amount, currency, comment, account = "+79990001122", date });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("txnId").GetInt64();
    }

    public async Task SetStatusAsync(long txnId, string status) =>
        (await Http.PostAsJsonAsync($"admin/v1/transactions/{txnId}/status", new { status })).EnsureSuccessStatusCode();
}
