using System.Net.Http.Headers;
using Marketplace.Client.Api;
using Refit;

namespace Marketplace.Client;

/// <summary>
/// A typed client of the Marketplace API. Give it an API key (<c>mkp_...</c>) or an access token:
/// <code>
/// var client = MarketplaceClient.Create(new Uri("https://marketplace.example"), apiKey);
/// var order = await client.Orders.GetAsync(orderId);
/// </code>
/// Errors arrive as <see cref="MarketplaceProblemException"/>.
/// </summary>
public sealed class MarketplaceClient
{
    public MarketplaceClient(HttpClient http)
    {
        Http = http;
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(MarketplaceJson.Options))
        {
            ExceptionFactory = ProblemExceptionFactory.CreateAsync,
        };
        Accounts = RestService.For<IAccountsApi>(http, settings);
        ApiKeys = RestService.For<IApiKeysApi>(http, settings);
        Listings = RestService.For<IListingsApi>(http, settings);
        Orders = RestService.For<IOrdersApi>(http, settings);
        Disputes = RestService.For<IDisputesApi>(http, settings);
        Wallets = RestService.For<IWalletsApi>(http, settings);
        Webhooks = RestService.For<IWebhooksApi>(http, settings);
        Sellers = RestService.For<ISellersApi>(http, settings);
    }

    public HttpClient Http { get; }
    public IAccountsApi Accounts { get; }
    public IApiKeysApi ApiKeys { get; }
    public IListingsApi Listings { get; }
    public IOrdersApi Orders { get; }
    public IDisputesApi Disputes { get; }
    public IWalletsApi Wallets { get; }
    public IWebhooksApi Webhooks { get; }
    public ISellersApi Sellers { get; }

    /// <summary>A client of the service at <paramref name="baseAddress"/>, sending <paramref name="credential"/> as the bearer credential.</summary>
    public static MarketplaceClient Create(Uri baseAddress, string? credential = null, HttpMessageHandler? handler = null)
    {
        var http = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = baseAddress };
        var client = new MarketplaceClient(http);
        if (credential is not null) client.UseCredential(credential);
        return client;
    }

    /// <summary>Sends this access token or API key from now on.</summary>
    public void UseCredential(string credential) => Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
}
