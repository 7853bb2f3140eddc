using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Api;

/// <summary>
/// A price must be in a currency the listing's wallet can receive (its rail's connector says; QIWI wallet
/// transfers are RUB only): refused when the listing is created, and again when a listing that slipped
/// through (created before the rule) is ordered, before anything is reserved.
/// </summary>
public sealed class ListingCurrencyTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("USD")]
    [InlineData("EUR")]
    public async Task A_listing_priced_in_a_currency_the_qiwi_wallet_cannot_receive_is_a_422_naming_price_currency(string currency)
    {
        var qiwi = _app.CreateEmulatorClient();
        var phone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var seller = await _app.CreateApiClient().SignUpAsync();
        var wallet = await seller.ConnectQiwiWalletAsync(phone, await qiwi.IssueTokenAsync(phone, "ProfileRead", "HistoryRead"));

        var response = await seller.Http.PostAsJsonAsync("/api/v1/listings", new
        {
            title = "Game key", category = "games", price = new { amount = 10.00m, currency }, walletId = wallet.Id,
        });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("listing.currency_not_receivable", problem.RootElement.GetProperty("code").GetString());
        var message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty("price.currency").EnumerateArray()).GetString();
        Assert.Contains("RUB", message, StringComparison.Ordinal);
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Listings.AnyAsync(l => l.WalletId == wallet.Id));
    }

    [Fact]
    public async Task An_older_listing_in_such_a_currency_cannot_be_ordered_and_keeps_its_stock()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            // As a listing created before the rule existed would be.
            await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Listings
                .Where(l => l.Id == trade.Listing.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Currency, "USD"));
        }

        var response = await trade.Buyer.PlaceOrderRawAsync(trade.Listing.Id, 1);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("order.currency_not_receivable", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(2, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }
}
