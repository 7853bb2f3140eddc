using Marketplace.Domain.Common;

namespace Marketplace.Domain.Listings;

/// <summary>
/// A product on sale with a stock of unique items. <see cref="AvailableCount"/> is the gate for
/// reservations: it is decremented atomically in the database before any item is taken, so two
/// buyers can never both take the last item.
/// </summary>
public sealed class Listing
{
    public const int MinPaymentWindowMinutes = 5;
    public const int MaxPaymentWindowMinutes = 24 * 60;
    public const int DefaultPaymentWindowMinutes = 30;
    public const int MinMaxQuantityPerOrder = 1;
    public const int MaxMaxQuantityPerOrder = 100;
    public const int DefaultMaxQuantityPerOrder = 10;
    public const int MinProtectionHours = 1;
    public const int MaxProtectionHours = 30 * 24;
    public const int DefaultProtectionHours = 72;
    public const int MaxLowStockThreshold = 1_000_000;

    private Listing() { }

    public Listing(
        Guid id, Guid sellerId, Guid walletId, string title, string description, string category,
        Money price, int paymentWindowMinutes, DateTimeOffset createdAt, int maxQuantityPerOrder = DefaultMaxQuantityPerOrder,
        int protectionHours = DefaultProtectionHours, int? lowStockThreshold = null)
    {
        if (lowStockThreshold is < 0 or > MaxLowStockThreshold)
            throw new DomainException("listing.low_stock_threshold", "Low-stock threshold is out of range.");
        if (protectionHours is < MinProtectionHours or > MaxProtectionHours)
            throw new DomainException("listing.protection_hours", "Protection window is out of range.");
        if (paymentWindowMinutes is < MinPaymentWindowMinutes or > MaxPaymentWindowMinutes)
            throw new DomainException("listing.payment_window", "Payment window is out of range.");
        if (maxQuantityPerOrder is < MinMaxQuantityPerOrder or > MaxMaxQuantityPerOrder)
            throw new DomainException("listing.max_quantity_per_order", "Maximum quantity per order is out of range.");
        Id = id;
        SellerId = sellerId;
        WalletId = walletId;
        Title = title.Trim();
        Description = description.Trim();
        Category = category.Trim();
        Price = price.Amount;
        Currency = price.Currency;
        PaymentWindowMinutes = paymentWindowMinutes;
        MaxQuantityPerOrder = maxQuantityPerOrder;
        ProtectionHours = protectionHours;
        LowStockThreshold = lowStockThreshold;
        CreatedAt = createdAt;
        Status = ListingStatus.Active;
    }

    public Guid Id { get; private set; }
    public Guid SellerId { get; private set; }
    public Guid WalletId { get; private set; }
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string Category { get; private set; } = "";
    public decimal Price { get; private set; }
    public string Currency { get; private set; } = "";
    public int PaymentWindowMinutes { get; private set; }
    /// <summary>The seller's cap on one order's quantity, so one unpaid order cannot hold the whole stock.</summary>
    public int MaxQuantityPerOrder { get; private set; }
    /// <summary>How long after delivery the buyer may dispute; the order completes by itself when it ends.</summary>
    public int ProtectionHours { get; private set; }
    public int AvailableCount { get; private set; }
    /// <summary>The seller is told (webhook listing.stock_low) when a sale brings the stock down to this many or fewer; null: never.</summary>
    public int? LowStockThreshold { get; private set; }
    public ListingStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public Money UnitPrice => new(Price, Currency);

    public void AddStock(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        AvailableCount += count;
    }
}

public enum ListingStatus
{
    Active = 0,
    Archived = 1,
}
