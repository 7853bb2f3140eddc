using Marketplace.Domain.Common;
using Marketplace.Domain.Listings;

namespace Marketplace.Domain.Tests;

public sealed class ListingTests
{
    private static Listing NewListing(int? maxQuantityPerOrder = null) =>
        maxQuantityPerOrder is { } max
            ? new Listing(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "t", "d", "games", new Money(1m, "RUB"), 30, DateTimeOffset.UnixEpoch, max)
            : new Listing(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "t", "d", "games", new Money(1m, "RUB"), 30, DateTimeOffset.UnixEpoch);

    [Fact]
    public void The_maximum_quantity_per_order_defaults_to_ten() =>
        Assert.Equal(Listing.DefaultMaxQuantityPerOrder, NewListing().MaxQuantityPerOrder);

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void The_maximum_quantity_per_order_may_be_set_within_range(int max) =>
        Assert.Equal(max, NewListing(max).MaxQuantityPerOrder);

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void The_maximum_quantity_per_order_out_of_range_is_refused(int max) =>
        Assert.Equal("listing.max_quantity_per_order", Assert.Throws<DomainException>(() => NewListing(max)).Code);
}
