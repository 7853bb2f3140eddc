namespace Marketplace.Domain.Payments;

/// <summary>What the matcher decided about a transfer whose comment named one of our orders.</summary>
public enum PaymentOutcome
{
    /// <summary>Paid the order in full (possibly more); the items were released.</summary>
    Accepted = 0,
    /// <summary>Less than the order total: nothing released; kept as evidence.</summary>
    Underpaid = 1,
    /// <summary>Paid in a currency other than the order's.</summary>
    WrongCurrency = 2,
    /// <summary>Arrived after the payment deadline.</summary>
    Late = 3,
    /// <summary>The order was already paid or expired when this transfer was seen.</summary>
    OrderNotPayable = 4,
    /// <summary>Dated before the order was placed: cannot be a payment for it.</summary>
    BeforeOrder = 5,
    /// <summary>
    /// The buyer cancelled the order (possibly after paying): nothing released, the items are back in
    /// stock. Compare <c>OccurredAt</c> with the order's <c>CancelledAt</c>; the seller owes a refund.
    /// </summary>
    OrderCancelled = 6,
}
