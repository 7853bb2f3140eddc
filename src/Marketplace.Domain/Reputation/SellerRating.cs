using Marketplace.Domain.Common;

namespace Marketplace.Domain.Reputation;

/// <summary>The buyer's rating of the seller for one completed order: 1 to 5 stars, an optional comment, once per order.</summary>
public sealed class SellerRating
{
    public const int MaxCommentLength = 500;

    private SellerRating() { }

    public SellerRating(Guid orderId, Guid sellerId, Guid buyerId, int stars, string? comment, DateTimeOffset at)
    {
        if (stars is < 1 or > 5) throw new DomainException("rating.stars", "A rating is 1 to 5 stars.");
        OrderId = orderId;
        SellerId = sellerId;
        BuyerId = buyerId;
        Stars = stars;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        At = at;
    }

    public Guid OrderId { get; private set; }
    public Guid SellerId { get; private set; }
    public Guid BuyerId { get; private set; }
    public int Stars { get; private set; }
    public string? Comment { get; private set; }
    public DateTimeOffset At { get; private set; }
}
