using Marketplace.Application.Common.Models;
using Marketplace.Domain.Listings;

namespace Marketplace.Application.Listings;

/// <summary>A listing as the public catalog shows it: stock count, never the items.</summary>
public sealed record ListingDto(
    Guid Id, Guid SellerId, string Title, string Description, string Category, MoneyDto Price,
    int Stock, int PaymentWindowMinutes, int MaxQuantityPerOrder, ListingStatus Status, DateTimeOffset CreatedAt)
{
    public static ListingDto From(Listing l) =>
        new(l.Id, l.SellerId, l.Title, l.Description, l.Category, MoneyDto.Of(l.Price, l.Currency),
            l.AvailableCount, l.PaymentWindowMinutes, l.MaxQuantityPerOrder, l.Status, l.CreatedAt);
}
