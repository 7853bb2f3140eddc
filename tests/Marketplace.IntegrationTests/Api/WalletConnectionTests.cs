using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Api;

/// <summary>Connecting a wallet: the token is verified with QIWI first, then stored encrypted and never shown again.</summary>
public sealed class WalletConnectionTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;
    private EmulatorClient _qiwi = null!;
    private ApiClient _seller = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres);
        _qiwi = _app.CreateEmulatorClient();
        _seller = await _app.CreateApiClient().SignUpAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_verified_token_is_stored_encrypted_and_never_returned()
    {
        var phone = await _qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var token = await _qiwi.IssueTokenAsync(phone, "ProfileRead", "HistoryRead");

        var response = await _seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token });
        var listed = await _seller.Http.GetStringAsync("/api/v1/wallets");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain(token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);
        Assert.Equal(phone, JsonDocument.Parse(listed).RootElement[0].GetProperty("account").GetString());

        await using var scope = _app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Wallets.AsNoTracking().SingleAsync();
        Assert.DoesNotContain(token, stored.EncryptedToken, StringComparison.Ordinal);
        Assert.StartsWith("v1.test.", stored.EncryptedToken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_token_is_refused_with_a_clear_message()
    {
        var phone = await _qiwi.CreateWalletAsync(EmulatorClient.NewPhone());

        var response = await _seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token = "0123456789abcdef" });

        await AssertRefusedAsync(response, "token");
    }

    [Fact]
    public async Task A_revoked_token_is_refused()
    {
        var phone = await _qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var old = await _qiwi.IssueTokenAsync(phone);
        await _qiwi.IssueTokenAsync(phone); // QIWI keeps one active token: issuing another revokes the first

        var response = await _seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token = old });

        await AssertRefusedAsync(response, "token");
    }

    [Fact]
    public async Task A_token_that_cannot_read_payment_history_is_refused()
    {
        var phone = await _qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var token = await _qiwi.IssueTokenAsync(phone, "ProfileRead", "BalanceRead");

        var response = await _seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token });

        await AssertRefusedAsync(response, "token");
    }

    [Fact]
    public async Task A_token_of_another_wallet_is_refused()
    {
        var phone = await _qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var other = await _qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var token = await _qiwi.IssueTokenAsync(other);

        var response = await _seller.Http.PostAsJsonAsync("/api/v1/wallets", new { provider = "qiwi", account = phone, token });

        await AssertRefusedAsync(response, "account");
    }

    [Fact]
    public async Task A_wallet_connected_by_one_seller_cannot_be_claimed_by_another()
    {
        var phone = await _qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        await _seller.ConnectQiwiWalletAsync(phone, await _qiwi.IssueTokenAsync(phone));
        var other = await _app.CreateApiClient().SignUpAsync();

        var response = await other.Http.PostAsJsonAsync("/api/v1/wallets",
            new { provider = "qiwi", account = phone, token = await _qiwi.IssueTokenAsync(phone) });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task A_listing_cannot_use_someone_elses_wallet()
    {
        var phone = await _qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var wallet = await _seller.ConnectQiwiWalletAsync(phone, await _qiwi.IssueTokenAsync(phone));
        var other = await _app.CreateApiClient().SignUpAsync();

        var response = await other.Http.PostAsJsonAsync("/api/v1/listings", new
        {
            title = "t", category = "games", price = new { amount = 10m, currency = "RUB" }, walletId = wallet.Id,
        });

        await AssertRefusedAsync(response, "walletId");
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"Expected 422, got {(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), text);
    }
}
