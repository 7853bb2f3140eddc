namespace Marketplace.Domain.Orders;

/// <summary>
/// The first time the buyer was shown a delivered item: evidence for a dispute ("not received"
/// against "revealed at 14:02 from this address"). One row per item, written once, never changed.
/// </summary>
public sealed class ItemReveal
{
    public const int MaxUserAgentLength = 512;

    private ItemReveal() { }

    public ItemReveal(Guid itemId, Guid orderId, Guid buyerId, DateTimeOffset revealedAt, string? clientAddress, string? userAgent)
    {
        ItemId = itemId;
        OrderId = orderId;
        BuyerId = buyerId;
        RevealedAt = revealedAt;
        ClientAddress = clientAddress is { Length: > 64 } ? clientAddress[..64] : clientAddress;
        UserAgent = userAgent is { Length: > MaxUserAgentLength } ? userAgent[..MaxUserAgentLength] : userAgent;
    }

    public Guid ItemId { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid BuyerId { get; private set; }
    public DateTimeOffset RevealedAt { get; private set; }
    public string? ClientAddress { get; private set; }
    public string? UserAgent { get; private set; }
}
