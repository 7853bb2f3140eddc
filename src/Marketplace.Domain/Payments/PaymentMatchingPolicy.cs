using Marketplace.Domain.Orders;

namespace Marketplace.Domain.Payments;

/// <summary>
/// The pure decision for one final, successful transfer already tied to an order (by its comment,
/// a seller's attachment or a buyer's claim): what the transfer is for that order. The order then
/// applies it (<see cref="Order.RecordPayment"/>). No I/O here, so every rule is unit-tested alone.
/// </summary>
public static class PaymentMatchingPolicy
{
    public static PaymentOutcome Decide(Order order, ObservedTransfer transfer, PaymentSource source, PaymentRules rules)
    {
        if (transfer.Status != TransferStatus.Succeeded)
            throw new ArgumentException("Only a successful transfer is decided.", nameof(transfer));
        if (!string.Equals(transfer.Currency, order.Currency, StringComparison.Ordinal)) return PaymentOutcome.WrongCurrency;
        // The seller vouches for the timing of a transfer they attach: only the currency can rule it out.
        var timed = source != PaymentSource.SellerAttached;
        if (timed && transfer.OccurredAt < order.CreatedAt - rules.ClockSkew) return PaymentOutcome.BeforeOrder;
        var late = timed && transfer.OccurredAt > order.ExpiresAt;
        if (late && transfer.OccurredAt > order.ExpiresAt + rules.MonitoringWindow) return PaymentOutcome.TooLate;
        if (order.Status == OrderStatus.Delivered || order.PaidAmount >= order.TotalAmount) return PaymentOutcome.Duplicate;
        // Once cancelled, always cancelled: money that comes afterwards is owed back, never a sale.
        if (order.CancelledAt is not null) return PaymentOutcome.OrderCancelled;
        if (late) return PaymentOutcome.Late;
        return order.PaidAmount + transfer.Amount >= order.TotalAmount ? PaymentOutcome.Accepted : PaymentOutcome.Partial;
    }
}
