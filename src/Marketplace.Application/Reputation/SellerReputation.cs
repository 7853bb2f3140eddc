using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Disputes;
using Marketplace.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Reputation;

/// <summary>
/// What buyers see of a seller: average rating, completed orders, how often orders were disputed or
/// refunded, and the median time from order to delivery. Computed from the records, never stored, so
/// it cannot drift from them.
/// </summary>
/// <param name="Rating">Average stars, two decimals; null before the first rating.</param>
/// <param name="DisputeRate">Disputed orders / delivered orders (0 to 1); null before the first delivery.</param>
/// <param name="RefundRate">Orders with a verified refund / orders paid for (0 to 1); null before the first payment.</param>
/// <param name="MedianDeliverySeconds">Order placed to goods delivered, over the last 1000 deliveries; null before the first.</param>
/// <param name="OverdueRemedies">Disputes decided for the buyer whose refund or replacement is past its deadline and still not made.</param>
/// <param name="Name">The seller's public display name; null when the seller has not chosen one.</param>
public sealed record SellerReputationDto(
    Guid SellerId, decimal? Rating, int Ratings, int CompletedOrders, decimal? DisputeRate, decimal? RefundRate, int? MedianDeliverySeconds,
    int OverdueRemedies = 0, string? Name = null);

/// <summary>The short form shown with each listing. <c>name</c>: the seller's display name, null when none was chosen.</summary>
public sealed record SellerSummaryDto(decimal? Rating, int Ratings, int CompletedOrders, string? Name = null);

public sealed class SellerReputation(IApplicationDbContext db)
{
    private const int DeliveriesForMedian = 1000;

    public async Task<SellerReputationDto> ForAsync(Guid sellerId, CancellationToken cancellationToken)
    {
        var ratings = await db.SellerRatings.AsNoTracking().Where(r => r.SellerId == sellerId)
            .GroupBy(r => r.SellerId).Select(g => new { Count = g.Count(), Sum = g.Sum(r => r.Stars) }).SingleOrDefaultAsync(cancellationToken);
        var orders = db.Orders.AsNoTracking().Where(o => o.SellerId == sellerId);
        var delivered = await orders.CountAsync(o => o.DeliveredAt != null, cancellationToken);
        var completed = await orders.CountAsync(o => o.CompletedAt != null, cancellationToken);
        var paid = await orders.CountAsync(o => o.PaidAmount > 0, cancellationToken);
        var refunded = await orders.CountAsync(o => o.RefundedAmount > 0, cancellationToken);
        var disputed = await db.Disputes.AsNoTracking().Where(d => d.SellerId == sellerId).Select(d => d.OrderId).Distinct().CountAsync(cancellationToken);
        var times = await orders.Where(o => o.DeliveredAt != null)
            .OrderByDescending(o => o.DeliveredAt).Take(DeliveriesForMedian)
            .Select(o => new { o.CreatedAt, o.DeliveredAt }).ToListAsync(cancellationToken);
        var overdue = await db.Disputes.AsNoTracking().CountAsync(d => d.SellerId == sellerId && d.RemedyOverdueAt != null && d.RemedyDoneAt == null, cancellationToken);
        var name = await db.Accounts.AsNoTracking().Where(a => a.Id == sellerId).Select(a => a.DisplayName).SingleOrDefaultAsync(cancellationToken);
        var seconds = times.Select(t => (t.DeliveredAt!.Value - t.CreatedAt).TotalSeconds).Order().ToList();

        return new SellerReputationDto(
            sellerId,
            ratings is { Count: > 0 } r ? Math.Round((decimal)r.Sum / r.Count, 2) : null,
            ratings?.Count ?? 0,
            completed,
            delivered > 0 ? Math.Round((decimal)disputed / delivered, 4) : null,
            paid > 0 ? Math.Round((decimal)refunded / paid, 4) : null,
            seconds.Count > 0 ? (int)Math.Round(Median(seconds)) : null,
            overdue,
            name);
    }

    /// <summary>Name, rating and completed orders of several sellers at once (a catalog page): three queries.</summary>
    public async Task<IReadOnlyDictionary<Guid, SellerSummaryDto>> SummariesAsync(IReadOnlyCollection<Guid> sellerIds, CancellationToken cancellationToken)
    {
        if (sellerIds.Count == 0) return new Dictionary<Guid, SellerSummaryDto>();
        var ratings = await db.SellerRatings.AsNoTracking().Where(r => sellerIds.Contains(r.SellerId))
            .GroupBy(r => r.SellerId).Select(g => new { g.Key, Count = g.Count(), Sum = g.Sum(r => r.Stars) })
            .ToDictionaryAsync(g => g.Key, cancellationToken);
        var completed = await db.Orders.AsNoTracking().Where(o => sellerIds.Contains(o.SellerId) && o.CompletedAt != null)
            .GroupBy(o => o.SellerId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var names = await db.Accounts.AsNoTracking().Where(a => sellerIds.Contains(a.Id) && a.DisplayName != null)
            .Select(a => new { a.Id, a.DisplayName }).ToDictionaryAsync(a => a.Id, a => a.DisplayName, cancellationToken);
        return sellerIds.Distinct().ToDictionary(id => id, id =>
        {
            var r = ratings.GetValueOrDefault(id);
            return new SellerSummaryDto(r is { Count: > 0 } ? Math.Round((decimal)r.Sum / r.Count, 2) : null, r?.Count ?? 0, completed.GetValueOrDefault(id),
                names.GetValueOrDefault(id));
        });
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
