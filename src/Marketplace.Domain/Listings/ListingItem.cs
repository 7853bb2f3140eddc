namespace Marketplace.Domain.Listings;

/// <summary>
/// One unique unit of stock (a key, a code, an account). Its payload is stored encrypted; the
/// fingerprint (a keyed hash) lets the database reject duplicates without seeing the payload.
/// </summary>
public sealed class ListingItem
{
    private ListingItem() { }

    public ListingItem(Guid id, Guid listingId, string encryptedPayload, string fingerprint, DateTimeOffset createdAt)
    {
        Id = id;
        ListingId = listingId;
        EncryptedPayload = encryptedPayload;
        Fingerprint = fingerprint;
        CreatedAt = createdAt;
        Status = ListingItemStatus.Available;
    }

    public Guid Id { get; private set; }
    public Guid ListingId { get; private set; }
    public string EncryptedPayload { get; private set; } = "";
    public string Fingerprint { get; private set; } = "";
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
