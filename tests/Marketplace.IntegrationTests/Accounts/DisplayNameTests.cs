using System.Net;
using System.Net.Http.Json;
using Marketplace.Client;
using Marketplace.Client.Models;
using Marketplace.IntegrationTests.Infrastructure;
using Marketplace.IntegrationTests.Listings;

namespace Marketplace.IntegrationTests.Accounts;

/// <summary>
/// Seller display names, through the typed client: shown with every catalog entry, on the listing and the
/// seller's profile at once; unique by what a buyer can tell apart; only the owner may set them.
/// </summary>
public sealed class DisplayNameTests(ListingWorld world) : IClassFixture<ListingWorld>
{
    private MarketplaceClient ClientOf(ApiClient signedIn) =>
        MarketplaceClient.Create(new Uri("http://localhost"), signedIn.Http.DefaultRequestHeaders.Authorization?.Parameter, world.App.Server.CreateHandler());

    private MarketplaceClient Anonymous() => MarketplaceClient.Create(new Uri("http://localhost"), handler: world.App.Server.CreateHandler());

    private static string UniqueName(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A new account signed in through the client, with its id (from the registration's answer).</summary>
    private async Task<(MarketplaceClient Client, Guid Id)> SignUpAsync()
    {
        var client = Anonymous();
        var email = $"named-{Guid.NewGuid():N}@example.com";
        var account = await client.Accounts.RegisterAsync(new RegisterRequest(email, "correct-horse-1"));
        client.UseCredential((await client.Accounts.LogInAsync(new LoginRequest(email, "correct-horse-1"))).AccessToken);
        return (client, account.Id);
    }

    [Fact]
    public async Task A_name_set_by_the_seller_shows_in_the_catalog_the_listing_and_the_profile_at_once()
    {
        var trade = await world.TradeAsync(items: 1);
        var seller = ClientOf(trade.Seller);
        var anonymous = Anonymous();
        var sellerId = trade.Listing.SellerId;

        // Read first, so a cached catalog page and the listing's ETag exist before the change.
        var before = await anonymous.Listings.SearchAsync(sellerId: sellerId);
        Assert.Null(Assert.Single(before.Items).Seller!.Name);

        var name = UniqueName("Key Shop");
        var account = await seller.Accounts.ChangeAccountAsync(sellerId, new ChangeAccountRequest("  " + name.Replace(" ", "   ") + " "));
        Assert.Equal(name, account.DisplayName); // trimmed, inner runs of spaces made one
        Assert.Equal(name, (await seller.Accounts.GetAccountAsync(sellerId)).DisplayName);

        Assert.Equal(name, Assert.Single((await anonymous.Listings.SearchAsync(sellerId: sellerId)).Items).Seller!.Name);
        Assert.Equal(name, (await anonymous.Listings.GetAsync(trade.Listing.Id)).Seller!.Name);
        Assert.Equal(name, (await anonymous.Sellers.GetProfileAsync(sellerId)).GetProperty("reputation").GetProperty("name").GetString());

        // The listing's entity tag moves with the name: a conditional read is not answered 304 with the old name.
        var raw = world.App.CreateApiClient().Http;
        var first = await raw.GetAsync($"/api/v1/listings/{trade.Listing.Id}");
        var tagNow = first.Headers.ETag!.Tag;
        await seller.Accounts.ChangeAccountAsync(sellerId, new ChangeAccountRequest(null));
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/listings/{trade.Listing.Id}");
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", tagNow);
        var afterRemoval = await raw.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.OK, afterRemoval.StatusCode);
        Assert.Null((await anonymous.Listings.GetAsync(trade.Listing.Id)).Seller!.Name);
        Assert.Null(Assert.Single((await anonymous.Listings.SearchAsync(sellerId: sellerId)).Items).Seller!.Name);
    }

    [Fact]
    public async Task A_name_too_close_to_another_accounts_is_409()
    {
        var (owner, ownerId) = await SignUpAsync();
        var (other, otherId) = await SignUpAsync();
        var name = UniqueName("Pixel Keys");
        await owner.Accounts.ChangeAccountAsync(ownerId, new ChangeAccountRequest(name));

        // Case, spacing, punctuation, Cyrillic look-alikes, 0/O and 1/I/l: all the same name to a buyer.
        foreach (var lookAlike in new[]
                 {
                     name.ToUpperInvariant(), name.Replace(" ", "-"), name.Replace(" ", "  "), name.Replace("e", "е").Replace("P", "Р"),
                     name.Replace("i", "1"), name.Replace("x", "х"),
                 })
        {
            var refused = await Assert.ThrowsAsync<MarketplaceProblemException>(() => other.Accounts.ChangeAccountAsync(otherId, new ChangeAccountRequest(lookAlike)));
            Assert.Equal(HttpStatusCode.Conflict, refused.Status);
            Assert.Equal("account.display_name_taken", refused.Problem.Code);
        }

        // Registration with a taken name is refused the same way, and creates no account.
        var email = $"late-{Guid.NewGuid():N}@example.com";
        var atRegistration = await Assert.ThrowsAsync<MarketplaceProblemException>(() =>
            Anonymous().Accounts.RegisterAsync(new RegisterRequest(email, "correct-horse-1", name.ToLowerInvariant())));
        Assert.Equal("account.display_name_taken", atRegistration.Problem.Code);
        var login = await world.App.CreateApiClient().Http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "correct-horse-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);

        // The owner may change the case of their own name; once released, the name is free for others.
        Assert.Equal(name.ToUpperInvariant(), (await owner.Accounts.ChangeAccountAsync(ownerId, new ChangeAccountRequest(name.ToUpperInvariant()))).DisplayName);
        await owner.Accounts.ChangeAccountAsync(ownerId, new ChangeAccountRequest(null));
        Assert.Equal(name, (await other.Accounts.ChangeAccountAsync(otherId, new ChangeAccountRequest(name))).DisplayName);
    }

    [Fact]
    public async Task Accounts_racing_for_one_name_get_it_once()
    {
        var name = UniqueName("Race");
        var clients = new List<(MarketplaceClient Client, Guid Id)>();
        for (var i = 0; i < 6; i++) clients.Add(await SignUpAsync());

        var results = await Task.WhenAll(clients.Select(async c =>
        {
            try
            {
                await c.Client.Accounts.ChangeAccountAsync(c.Id, new ChangeAccountRequest(name));
                return "ok";
            }
            catch (MarketplaceProblemException e)
            {
                return e.Problem.Code;
            }
        }));

        Assert.Single(results, r => r == "ok");
        Assert.All(results.Where(r => r != "ok"), r => Assert.Equal("account.display_name_taken", r));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("<b>Shop</b>")]
    [InlineData("shop\u0000x")]
    [InlineData("shop\u200Bx")]
    [InlineData("Shop 😀")]
    [InlineData("   ")]
    public async Task Invalid_names_are_400s_naming_the_field(string name)
    {
        var (client, id) = await SignUpAsync();
        var refused = await Assert.ThrowsAsync<MarketplaceProblemException>(() => client.Accounts.ChangeAccountAsync(id, new ChangeAccountRequest(name)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains(refused.Problem.Errors!.Keys, k => k.Equals("displayName", StringComparison.OrdinalIgnoreCase));
        Assert.Null((await client.Accounts.GetAccountAsync(id)).DisplayName);
    }

    [Fact]
    public async Task A_body_without_the_field_is_400_and_changes_nothing()
    {
        var (client, id) = await SignUpAsync();
        var name = UniqueName("Keep");
        await client.Accounts.ChangeAccountAsync(id, new ChangeAccountRequest(name));

        var response = await client.Http.PatchAsJsonAsync($"/api/v1/accounts/{id}", new { });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(name, (await client.Accounts.GetAccountAsync(id)).DisplayName);
    }

    [Fact]
    public async Task Only_the_owner_may_set_the_name()
    {
        var (owner, ownerId) = await SignUpAsync();
        var (stranger, _) = await SignUpAsync();

        var notFound = await Assert.ThrowsAsync<MarketplaceProblemException>(() => stranger.Accounts.ChangeAccountAsync(ownerId, new ChangeAccountRequest("Not Yours")));
        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
        var unauthorized = await Assert.ThrowsAsync<MarketplaceProblemException>(() => Anonymous().Accounts.ChangeAccountAsync(ownerId, new ChangeAccountRequest("Not Yours")));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Status);
        Assert.Null((await owner.Accounts.GetAccountAsync(ownerId)).DisplayName);
    }

    [Fact]
    public async Task Registration_may_choose_the_name()
    {
        var name = UniqueName("Fresh Seller");
        var email = $"named-{Guid.NewGuid():N}@example.com";
        var account = await Anonymous().Accounts.RegisterAsync(new RegisterRequest(email, "correct-horse-1", name));
        Assert.Equal(name, account.DisplayName);
    }
}
