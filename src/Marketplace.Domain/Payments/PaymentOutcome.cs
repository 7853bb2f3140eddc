namespace Marketplace.Domain.Payments;

/// <summary>
/// What a recorded incoming transfer became. The first group counts toward an order's paid total;
/// the second waits in the seller's inbox for a decision (attach to an order, or resolve with a note).
/// docs/payment-matching.md gives the rule behind each.
/// </summary>
public enum PaymentOutcome
{
    /// <summary>In time, right currency, and it completed the order's total (alone or after partial payments).</summary>
    Accepted = 0,
    /// <summary>In time and counted, but the total is not covered yet.</summary>
    Partial = 1,
    /// <summary>Paid in a currency other than the order's: not counted; inbox.</summary>
    WrongCurrency = 2,
    /// <summary>After the deadline but inside the monitoring window: counted; the order is fulfilled if stock allows, else a refund is due.</summary>
    Late = 3,
    /// <summary>The order was already paid in full: the buyer paid twice; the surplus is owed back; inbox.</summary>
    Duplicate = 4,
    /// <summary>Dated before the order was placed: cannot be a payment for it; inbox.</summary>
    BeforeOrder = 5,
    /// <summary>The buyer had cancelled the order: counted toward a refund (the order becomes RefundDue).</summary>
    OrderCancelled = 6,
    /// <summary>The comment names none of this wallet's orders; inbox.</summary>
    Unmatched = 7,
    /// <summary>The comment names two or more orders: it pays neither; inbox.</summary>
    Ambiguous = 8,
    /// <summary>After the deadline and the monitoring window: no longer decided by itself; inbox.</summary>
    TooLate = 9,
}

public static class PaymentOutcomes
{
    /// <summary>Outcomes that wait for the seller in the inbox until attached or resolved.</summary>
    public static readonly IReadOnlyList<PaymentOutcome> NeedSeller =
    [
        PaymentOutcome.WrongCurrency, PaymentOutcome.Duplicate, PaymentOutcome.BeforeOrder, PaymentOutcome.Unmatched,
        PaymentOutcome.Ambiguous, PaymentOutcome.TooLate,
    ];

    public static bool NeedsSeller(this PaymentOutcome outcome) => NeedSeller.Contains(outcome);

    /// <summary>Counted toward the order's paid total.</summary>
    public static bool Counts(this PaymentOutcome outcome) =>
        outcome is PaymentOutcome.Accepted or PaymentOutcome.Partial or PaymentOutcome.Late or PaymentOutcome.OrderCancelled;
}

/// <summary>How a transfer came to be decided against an order.</summary>
public enum PaymentSource
{
    /// <summary>Its comment named the order.</summary>
    Comment = 0,
    /// <summary>The seller attached it to the order from the inbox (the seller vouches for its timing).</summary>
    SellerAttached = 1,
    /// <summary>The buyer claimed it by transaction id and payer account, and the wallet's history confirmed it.</summary>
    BuyerClaim = 2,
}
