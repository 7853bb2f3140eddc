using System.Text.Json;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Orders;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Payments;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Disputes;

/// <summary>
/// Everything a decision rests on, in one document: the dispute's thread and deadlines, the order's
/// history, the wallet's raw record of each payment, a keyed hash of each delivered item (never the
/// item) and when it was first revealed, and each verified refund with the wallet's record of it. A moderator sees it all; the seller does not see the
/// buyer's address and user agent on reveals (the buyer sees their own).
/// </summary>
public sealed record GetDisputeEvidenceQuery(Guid DisputeId) : IQuery<DisputeEvidenceDto>;

public sealed record DisputeEvidenceDto(
    DateTimeOffset GeneratedAt, string Role, DisputeDto Dispute, OrderEvidenceDto Order,
    IReadOnlyList<PaymentEvidenceDto> Payments, IReadOnlyList<ItemEvidenceDto> Items, IReadOnlyList<RefundEvidenceDto> Refunds);

/// <param name="Raw">The wallet's own record of the outgoing transfer, as it was read when the refund was verified.</param>
public sealed record RefundEvidenceDto(
    string TransactionId, MoneyDto Amount, string RecipientAccount, DateTimeOffset OccurredAt, DateTimeOffset VerifiedAt, JsonElement? Raw);

public sealed record OrderEvidenceDto(
    Guid Id, Guid BuyerId, Guid SellerId, int Quantity, MoneyDto Total, MoneyDto Paid, string PaymentComment, DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt, DateTimeOffset? DeliveredAt, DateTimeOffset? ProtectionEndsAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<OrderHistoryDto> History);

/// <param name="Raw">The wallet's own record of the transfer, as it was read (JSON).</param>
public sealed record PaymentEvidenceDto(
    string TransactionId, MoneyDto Amount, DateTimeOffset OccurredAt, PaymentOutcome Outcome, PaymentSource Source, JsonElement? Raw);

/// <param name="KeyedHash">An HMAC of the item under the service's key: proves which item was delivered without showing it.</param>
public sealed record ItemEvidenceDto(
    Guid ItemId, string KeyedHash, DateTimeOffset? DeliveredAt, bool Replacement, DateTimeOffset? FirstRevealedAt, string? RevealedFrom,
    string? RevealedWith);

public sealed class GetDisputeEvidenceHandler(IApplicationDbContext db, DisputeAccess access, TimeProvider clock)
    : IQueryHandler<GetDisputeEvidenceQuery, DisputeEvidenceDto>
{
    public async ValueTask<DisputeEvidenceDto> Handle(GetDisputeEvidenceQuery query, CancellationToken cancellationToken)
    {
        var (dispute, _, role) = await access.LoadAsync(query.DisputeId, tracked: false, cancellationToken);
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == dispute.OrderId, cancellationToken);
        var history = await db.OrderHistory.AsNoTracking().Where(h => h.OrderId == order.Id).OrderBy(h => h.At)
            .Select(h => new OrderHistoryDto(h.At, h.From, h.To, h.Reason, h.Rule, h.TransactionId)).ToListAsync(cancellationToken);
        var payments = await db.IncomingPayments.AsNoTracking().Where(p => p.OrderId == order.Id).OrderBy(p => p.OccurredAt)
            .Select(p => new { p.ProviderTransactionId, p.Amount, p.Currency, p.OccurredAt, p.Outcome, p.Source, p.Raw })
            .ToListAsync(cancellationToken);
        var items = await db.ListingItems.AsNoTracking().Where(i => i.OrderId == order.Id && i.Status == ListingItemStatus.Sold)
            .OrderBy(i => i.SoldAt).ThenBy(i => i.CreatedAt).ThenBy(i => i.Id)
            .Select(i => new { i.Id, i.Fingerprint, i.SoldAt }).ToListAsync(cancellationToken);
        var ids = items.Select(i => i.Id).ToList();
        var reveals = await db.ItemReveals.AsNoTracking().Where(r => ids.Contains(r.ItemId)).ToDictionaryAsync(r => r.ItemId, cancellationToken);
        var seesAddress = role != DisputeRoles.Seller;
        var refunds = await db.Refunds.AsNoTracking().Where(r => r.OrderId == order.Id).OrderBy(r => r.VerifiedAt).ToListAsync(cancellationToken);

        return new DisputeEvidenceDto(
            clock.GetUtcNow(), role, DisputeDto.From(dispute, role),
            new OrderEvidenceDto(order.Id, order.BuyerId, order.SellerId, order.Quantity, MoneyDto.Of(order.TotalAmount, order.Currency),
                MoneyDto.Of(order.PaidAmount, order.Currency), order.PaymentComment, order.CreatedAt, order.ExpiresAt, order.DeliveredAt,
                order.ProtectionEndsAt, order.CompletedAt, history),
            payments.Select(p => new PaymentEvidenceDto(p.ProviderTransactionId, MoneyDto.Of(p.Amount, p.Currency), p.OccurredAt, p.Outcome, p.Source,
                ParseRaw(p.Raw))).ToList(),
            items.Select((i, index) =>
            {
                var reveal = reveals.GetValueOrDefault(i.Id);
                return new ItemEvidenceDto(i.Id, i.Fingerprint, i.SoldAt, index >= order.Quantity, reveal?.RevealedAt,
                    seesAddress ? reveal?.ClientAddress : null, seesAddress ? reveal?.UserAgent : null);
            }).ToList(),
            refunds.Select(r => new RefundEvidenceDto(r.TransactionId, MoneyDto.Of(r.Amount, r.Currency), r.RecipientAccount, r.OccurredAt,
                r.VerifiedAt, ParseRaw(r.Raw))).ToList());
    }

    private static JsonElement? ParseRaw(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return null;
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(raw); // kept as text when the wallet's record was not JSON
        }
    }
}
