using System.Net;
using Marketplace.Domain.Orders;
using Marketplace.IntegrationTests.Infrastructure;

namespace Marketplace.IntegrationTests.Trade;

/// <summary>Races the review of the matching engine pointed at, each pinned by a test.</summary>
public sealed class MatcherRaceTests(PostgresServer postgres) : IAsyncLifetime
{
    private MarketplaceApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await MarketplaceApp.StartOnPostgresAsync(postgres, settings: new Dictionary<string, string?>
        {
            ["Auth:AccessTokenLifetime"] = "7.00:00:00",
        });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Two_claims_of_one_inbox_transfer_for_two_orders_at_once_count_it_once()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 10);
        for (var round = 0; round < 5; round++)
        {
            var first = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
            var second = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
            var transactionId = (await trade.Qiwi.InjectIncomingAsync(trade.SellerPhone, 150.00m, "no code"))
                .ToString(System.Globalization.CultureInfo.InvariantCulture);
            await _app.Watcher.RunOnceAsync(CancellationToken.None);

            var claims = await Task.WhenAll(
                trade.Buyer.ClaimPaymentRawAsync(first.Id, transactionId, "+79990001122"),
                trade.Buyer.ClaimPaymentRawAsync(second.Id, transactionId, "+79990001122"));

            var delivered = 0;
            foreach (var order in new[] { first, second })
                if ((await trade.Buyer.GetOrderAsync(order.Id)).Status == OrderStatus.Delivered) delivered++;
            Assert.Equal(1, delivered);
            Assert.Single(claims, c => c.StatusCode == HttpStatusCode.OK);
            Assert.Single(claims, c => c.StatusCode == HttpStatusCode.Conflict);
        }
    }

    [Fact]
    public async Task Two_expired_orders_of_one_listing_paid_in_one_page_are_both_restocked_and_delivered()
    {
        var trade = await TradeSetup.CreateAsync(_app, items: 2, paymentWindowMinutes: 10);
        var first = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        var second = await trade.Buyer.PlaceOrderAsync(trade.Listing.Id);
        _app.FakeClock.Advance(TimeSpan.FromMinutes(15));
        await _app.Watcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(OrderStatus.Expired, (await trade.Buyer.GetOrderAsync(first.Id)).Status);

        // Both late payments arrive before the next pass: one page, two restocks of the same listing.
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, first.Payment.Comment);
        await trade.Qiwi.PayAsync(trade.BuyerQiwiToken, trade.SellerPhone, 150.00m, second.Payment.Comment);
        await _app.Watcher.RunOnceAsync(CancellationToken.None);

        var one = await trade.Buyer.GetOrderAsync(first.Id);
        var two = await trade.Buyer.GetOrderAsync(second.Id);
        Assert.Equal((OrderStatus.Delivered, OrderStatus.Delivered), (one.Status, two.Status));
        Assert.NotEqual(Assert.Single(await trade.Buyer.GetItemsAsync(one.Id)), Assert.Single(await trade.Buyer.GetItemsAsync(two.Id)));
        Assert.Equal(0, (await trade.Buyer.GetListingAsync(trade.Listing.Id)).Stock);
    }
}
