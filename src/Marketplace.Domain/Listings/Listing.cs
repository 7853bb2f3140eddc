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
        SetPrice(price);
        PaymentWindowMinutes = paymentWindowMinutes;
        MaxQuantityPerOrder = maxQuantityPerOrder;
        ProtectionHours = protectionHours;
        LowStockThreshold = lowStockThreshold;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        Status = ListingStatus.Active;
        Version = 1;
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
    /// <summary>When the seller last changed the listing (edit, pause, resume, archive); stock moves do not count.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>
    /// The price in minor units (kopecks, cents): what the catalog filters and sorts on, an integer on every
    /// provider (SQLite cannot compare decimals in SQL). Always <see cref="Price"/> times 100.
    /// </summary>
    public long PriceMinor { get; private set; }
    /// <summary>Raised by every change the seller makes; the optimistic-concurrency token of edits and part of the ETag.</summary>
    public int Version { get; private set; }

    public Money UnitPrice => new(Price, Currency);

    /// <summary>Orderable as far as the seller is concerned (a wallet needing attention pauses it separately, see the wallet's status).</summary>
    public bool IsOnSale => Status == ListingStatus.Active;

    /// <summary>
    /// Changes what the seller may change. The price applies to orders placed from now on: an order
    /// copies the unit price when it is placed. Null leaves a field as it is.
    /// </summary>
    public void Edit(
        string? title, string? description, string? category, Money? price, int? paymentWindowMinutes, int? maxQuantityPerOrder,
        int? protectionHours, DateTimeOffset at)
    {
        EnsureNotArchived();
        if (protectionHours is < MinProtectionHours or > MaxProtectionHours)
            throw new DomainException("listing.protection_hours", "Protection window is out of range.");
        if (paymentWindowMinutes is < MinPaymentWindowMinutes or > MaxPaymentWindowMinutes)
            throw new DomainException("listing.payment_window", "Payment window is out of range.");
        if (maxQuantityPerOrder is < MinMaxQuantityPerOrder or > MaxMaxQuantityPerOrder)
            throw new DomainException("listing.max_quantity_per_order", "Maximum quantity per order is out of range.");
        if (title is not null) Title = title.Trim();
        if (description is not null) Description = description.Trim();
        if (category is not null) Category = category.Trim();
        if (price is not null) SetPrice(price.Value);
        if (paymentWindowMinutes is not null) PaymentWindowMinutes = paymentWindowMinutes.Value;
        if (maxQuantityPerOrder is not null) MaxQuantityPerOrder = maxQuantityPerOrder.Value;
        if (protectionHours is not null) ProtectionHours = protectionHours.Value;
        Touch(at);
    }

    /// <summary>The seller stops sales for now. Independent of a wallet pause: reconnecting a wallet does not resume it.</summary>
    public void Pause(DateTimeOffset at)
    {
        EnsureNotArchived();
        if (Status == ListingStatus.Paused) return;
        Status = ListingStatus.Paused;
        Touch(at);
    }

    /// <summary>The seller resumes sales. A wallet that needs attention still keeps the listing off sale until reconnected.</summary>
    public void Resume(DateTimeOffset at)
    {
        EnsureNotArchived();
        if (Status == ListingStatus.Active) return;
        Status = ListingStatus.Active;
        Touch(at);
    }

    /// <summary>
    /// Ends the listing for good: never orderable again, out of the catalog and the seller's default list.
    /// Final, so buyers of past orders always find it as it was when it ended; to sell again, create a new listing.
    /// </summary>
    public void Archive(DateTimeOffset at)
    {
        if (Status == ListingStatus.Archived) return;
        Status = ListingStatus.Archived;
        Touch(at);
    }

    private void EnsureNotArchived()
    {
        if (Status == ListingStatus.Archived)
            throw new DomainException("listing.archived", "This listing is archived; archiving is final.");
    }

    private void SetPrice(Money price)
    {
        Price = price.Amount;
        Currency = price.Currency;
        PriceMinor = (long)decimal.Round(price.Amount * 100m, 0);
    }

    private void Touch(DateTimeOffset at)
    {
        UpdatedAt = at;
        Version++;
    }

    public void AddStock(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        AvailableCount += count;
    }
}

public enum ListingStatus
{
    Active = 0,
    /// <summary>Final: see <see cref="Listing.Archive"/>.</summary>
    Archived = 1,
    /// <summary>Paused by the seller (not by a wallet needing attention, which is the wallet's status).</summary>
    Paused = 2,
}
