using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Marketplace.Api.Hosting;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Listings;
using Marketplace.Application.Listings.GetCatalog;
using Marketplace.Application.Orders;
using Marketplace.Application.Reputation;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.Bench.Rules;

/// <summary>
/// The responses the load benchmark's hot endpoints write: a catalog page of 20 listings (GET /listings) and
/// a page of 20 orders, serialised with the service's own JSON options (taken from its service registration,
/// so a converter added there is measured here too).
/// </summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private JsonSerializerOptions _options = null!;
    private CatalogPage _catalog = null!;
    private PagedResult<OrderDto> _orders = null!;

    [GlobalSetup]
    public void Setup()
    {
        _options = ServiceJsonOptions();
        var seller = new SellerSummaryDto(4.8m, 120, 950);
        _catalog = new CatalogPage(Enumerable.Range(0, 20).Select(i => new ListingDto(
            Guid.NewGuid(), Guid.NewGuid(), $"Game key {i}", "Activation key for the PC version, region free.", "games",
            MoneyDto.Of(199.9m + i, "RUB"), 1_000 + i, 30, 5, ListingStatus.Active, Now.AddDays(-i), Seller: seller, Version: 3)).ToList(),
            1, 20, 50, "eyJrIjoxMjM0NTY3ODksImkiOiIwMDAwIn0");
        _orders = new PagedResult<OrderDto>(Enumerable.Range(0, 20).Select(i =>
        {
            var price = MoneyDto.Of(199.9m + i, "RUB");
            return new OrderDto(Guid.NewGuid(), Guid.NewGuid(), OrderRoles.Buyer, 1, price, price, OrderStatus.AwaitingPayment, Now, Now.AddMinutes(30),
                null, null, null, null,
                new PaymentInstructionsDto("qiwi", "+79001234567", price.Amount, "RUB", "7K3M9QX2PA",
                    new Uri("https://qiwi.com/payment/form/99?extra%5B%27account%27%5D=%2B79001234567&amountInteger=199"), Now.AddMinutes(30), true),
                true, MoneyDto.Of(0, "RUB"), MoneyDto.Of(0, "RUB"), false, null, null, null);
        }).ToList(), 1, 20, 120);
    }

    [Benchmark(Description = "Catalog page (20 ListingDto) to UTF-8")]
    public byte[] Catalog() => JsonSerializer.SerializeToUtf8Bytes(_catalog, _options);

    [Benchmark(Description = "Orders page (20 OrderDto) to UTF-8")]
    public byte[] Orders() => JsonSerializer.SerializeToUtf8Bytes(_orders, _options);

    /// <summary>The HTTP JSON options exactly as the service configures them (AddMarketplaceApi).</summary>
    private static JsonSerializerOptions ServiceJsonOptions()
    {
        var services = new ServiceCollection();
        services.AddMarketplaceApi(new ConfigurationBuilder().Build(), new OperatingMode(ServiceMode.Sandbox));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
    }
}
