namespace Marketplace.Domain.Listings;

/// <summary>
/// One unique unit of stock (a key, a code, an account). Its payload is stored encrypted; the
/// fingerprint (a keyed hash) lets the database reject duplicates without seeing the payload.
/// <see cref="Fingerprint"/> is scoped to the listing (unique per listing); <see cref="KeyHash"/> is the
/// marketplace-wide keyed hash of the payload alone: unique across one seller's listings, and how a key sold
/// anywhere on the marketplace is recognised when someone tries to sell it again. Rows stored before the
/// key hash existed have none.
/// </summary>
public sealed class ListingItem
{
    private ListingItem() { }

    public ListingItem(
        Guid id, Guid listingId, Guid sellerId, string encryptedPayload, string fingerprint, string keyHash, DateTimeOffset createdAt)
    {
        Id = id;
        ListingId = listingId;
        SellerId = sellerId;
        EncryptedPayload = encryptedPayload;
        Fingerprint = fingerprint;
        KeyHash = keyHash;
        CreatedAt = createdAt;
        Status = ListingItemStatus.Available;
    }

    public Guid Id { get; private set; }
    public Guid ListingId { get; private set; }
    /// <summary>The listing's seller, copied so the database can keep a key unique across the seller's listings.</summary>
    public Guid SellerId { get; private set; }
    public string EncryptedPayload { get; private set; } = "";
    public string Fingerprint { get; private set; } = "";
    public string? KeyHash { get; private set; }
    public ListingItemStatus Status { get; private set; }
    public Guid? OrderId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SoldAt { get; private set; }

    public void Reserve(Guid orderId)
    {
        if (Status != ListingItemStatus.Available)
            throw new Common.DomainException("item.unavailable", "Item is not available.");
        Status = ListingItemStatus.Reserved;
        OrderId = orderId;
    }

    public void ReturnToStock()
    {
        if (Status != ListingItemStatus.Reserved)
            throw new Common.DomainException("item.not_reserved", "Only a reserved item can return to stock.");
        Status = ListingItemStatus.Available;
        OrderId = null;
    }

    public void MarkSold(DateTimeOffset at)
    {
        if (Status != ListingItemStatus.Reserved)
            throw new Common.DomainException("item.not_reserved", "Only a reserved item can be sold.");
        Status = ListingItemStatus.Sold;
        SoldAt = at;
    }
}

public enum ListingItemStatus
{
    Available = 0,
    Reserved = 1,
    Sold = 2,
}
