using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.Bench.Hosting;

/// <summary>The emulator's admin API (wallets, tokens, injected history), and a buyer paying with the real QIWI transfer call.</summary>
public sealed class EmulatorClient
{
    private static long _lastClientId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private static long _lastPhone = Random.Shared.NextInt64(1_000_000, 5_000_000);

    public EmulatorClient(HttpClient http, string adminKey)
    {
        http.DefaultRequestHeaders.Add("X-Emulator-Admin-Key", adminKey);
        Http = http;
    }

    public HttpClient Http { get; }

    /// <summary>A fresh wallet number per call.</summary>
    public static string NewPhone() => "+7900" + Interlocked.Increment(ref _lastPhone).ToString(CultureInfo.InvariantCulture);

    public async Task<string> CreateWalletAsync(string phone, decimal balance = 0m)
    {
        await EnsureAsync(await Http.PostAsJsonAsync("admin/v1/wallets", new { phone, balance }));
        return phone;
    }

    public async Task<string> IssueTokenAsync(string phone, params string[] groups)
    {
        var response = await Http.PostAsJsonAsync($"admin/v1/wallets/{phone.TrimStart('+')}/tokens", new { groups = groups.Length == 0 ? null : groups });
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Puts an incoming transfer straight into a wallet's history, dated now.</summary>
    public async Task InjectIncomingAsync(string phone, decimal amount, string? comment)
    {
        var response = await Http.PostAsJsonAsync($"admin/v1/wallets/{phone.TrimStart('+')}/transactions",
            new { type = "IN", status = "SUCCESS", amount, currency = 643, comment, account = "+79990001122" });
        await EnsureAsync(response);
    }

    /// <summary>A wallet-to-wallet transfer exactly as a buyer's QIWI client sends it.</summary>
    public async Task PayAsync(string buyerToken, string recipient, decimal amount, string? comment)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "sinap/api/v2/terms/99/payments")
        {
            Content = JsonContent.Create(new
            {
                id = Interlocked.Increment(ref _lastClientId).ToString(CultureInfo.InvariantCulture),
                sum = new { amount, currency = "643" },
                paymentMethod = new { type = "Account", accountId = "643" },
                comment,
                fields = new { account = recipient },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", buyerToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        await EnsureAsync(await Http.SendAsync(request));
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return;
        throw new InvalidOperationException(
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
