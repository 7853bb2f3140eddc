using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Application.Listings;
using Marketplace.Infrastructure.Persistence;
using Marketplace.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.IntegrationTests.Listings;

/// <summary>One app on PostgreSQL shared by a test class; each test makes its own sellers and listings.</summary>
public sealed class ListingWorld(PostgresServer postgres) : IAsyncLifetime
{
    public MarketplaceApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await MarketplaceApp.StartOnPostgresAsync(postgres);

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    public Task<TradeSetup> TradeAsync(int items = 3, decimal price = 150.00m) => TradeSetup.CreateAsync(App, items, price);

    /// <summary>Another listing of the trade's seller, paid into the same wallet.</summary>
    public static async Task<ListingDto> ListingAsync(TradeSetup trade, string title = "Game key", string category = "games", decimal price = 150.00m,
        string description = "Activation key") =>
        await ApiClient.ReadAsync<ListingDto>(await trade.Seller.Http.PostAsJsonAsync("/api/v1/listings", new
        {
            title, description, category, price = new { amount = price, currency = "RUB" }, walletId = trade.SellerWallet.Id,
        }), System.Net.HttpStatusCode.Created);

    /// <summary>The counter and the rows it counts, straight from the database.</summary>
    public async Task<(int Counter, int AvailableRows)> StockAsync(Guid listingId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var counter = await db.Listings.Where(l => l.Id == listingId).Select(l => l.AvailableCount).SingleAsync();
        var rows = await db.ListingItems.CountAsync(i => i.ListingId == listingId && i.Status == Domain.Listings.ListingItemStatus.Available);
        return (counter, rows);
    }

    public async Task WithDbAsync(Func<ApplicationDbContext, Task> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<ApplicationDbContext>());
    }

    /// <summary>Pays the order from the buyer's wallet and lets the matcher deliver it.</summary>
    public async Task PayAsync(TradeSetup trade, Application.Orders.OrderDto order)
    {
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, order.Total.Amount, order.Payment.Comment);
        await App.Watcher.RunOnceAsync(CancellationToken.None);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
