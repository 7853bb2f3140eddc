using Marketplace.Application.Listings;
using Marketplace.Application.Wallets;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>A seller with a connected QIWI wallet and a stocked listing, and a buyer with a funded QIWI wallet.</summary>
public sealed record TradeSetup(
    ApiClient Seller, WalletDto SellerWallet, string SellerPhone, ListingDto Listing, string[] Items,
    ApiClient Buyer, string BuyerPhone, string BuyerQiwiToken, EmulatorClient Qiwi, string SellerQiwiToken)
{
    public static Task<TradeSetup> CreateAsync(
        MarketplaceApp app, int items = 3, decimal price = 150.00m, int? paymentWindowMinutes = null, int? maxQuantityPerOrder = null) =>
        CreateAsync(app.CreateApiClient, app.CreateEmulatorClient(), items, price, paymentWindowMinutes, maxQuantityPerOrder);

    /// <summary>The same on any host of the service: <paramref name="newClient"/> gives a fresh API client, <paramref name="qiwi"/> pays.</summary>
    public static async Task<TradeSetup> CreateAsync(
        Func<ApiClient> newClient, EmulatorClient qiwi, int items = 3, decimal price = 150.00m, int? paymentWindowMinutes = null,
        int? maxQuantityPerOrder = null)
    {
        var sellerPhone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone());
        var sellerToken = await qiwi.IssueTokenAsync(sellerPhone, "ProfileRead", "HistoryRead");
        var buyerPhone = await qiwi.CreateWalletAsync(EmulatorClient.NewPhone(), balance: 100_000m);
        var buyerToken = await qiwi.IssueTokenAsync(buyerPhone);

        var seller = await newClient().SignUpAsync();
        var wallet = await seller.ConnectQiwiWalletAsync(sellerPhone, sellerToken);
        var listing = await seller.CreateListingAsync(wallet.Id, price, paymentWindowMinutes: paymentWindowMinutes, maxQuantityPerOrder: maxQuantityPerOrder);
        var keys = Enumerable.Range(1, items).Select(i => $"KEY-{Guid.NewGuid():N}-{i}").ToArray();
        if (items > 0) await seller.AddItemsAsync(listing.Id, keys);

        var buyer = await newClient().SignUpAsync();
        return new TradeSetup(seller, wallet, sellerPhone, listing, keys, buyer, buyerPhone, buyerToken, qiwi, sellerToken);
    }
}
