using Marketplace.Domain.Orders;

namespace Marketplace.Domain.Payments;

/// <summary>
/// The pure decision: given an order and a final transfer that carries its comment, does the
/// transfer pay the order? No I/O here, so every rule is unit-tested in isolation.
/// See docs/payment-matching.md for the reasoning behind each rule.
/// </summary>
public static class PaymentMatchingPolicy
{
    /// <summary>Wallet clocks and ours disagree a little; a transfer this much before the order still counts.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Only final transfers are decided; pending ones are looked at again on the next pass.</summary>
    public static bool IsFinal(ObservedTransfer transfer) => transfer.Status != TransferStatus.Pending;

    public static PaymentOutcome? Decide(Order order, ObservedTransfer transfer)
    {
        // A failed transfer moved no money and a pending one is not final yet: neither is recorded.
        if (transfer.Status != TransferStatus.Succeeded) return null;
        if (order.Status == OrderStatus.Cancelled) return PaymentOutcome.OrderCancelled;
        if (order.Status != OrderStatus.AwaitingPayment) return PaymentOutcome.OrderNotPayable;
        if (transfer.OccurredAt < order.CreatedAt - ClockSkew) return PaymentOutcome.BeforeOrder;
        if (transfer.OccurredAt > order.ExpiresAt) return PaymentOutcome.Late;
        if (!string.Equals(transfer.Currency, order.Currency, StringComparison.Ordinal)) return PaymentOutcome.WrongCurrency;
        if (transfer.Amount < order.TotalAmount) return PaymentOutcome.Underpaid;
        return PaymentOutcome.Accepted;
    }
}
