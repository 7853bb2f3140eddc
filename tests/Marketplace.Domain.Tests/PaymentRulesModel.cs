using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;

namespace Marketplace.Domain.Tests;

/// <summary>
/// The payment rules as the rule book states them, written from scratch for the property tests: it
/// decides on each transfer's <see cref="TransferTiming"/> (what the generator meant), never on
/// instants, and shares no code with <see cref="PaymentMatchingPolicy"/> or <see cref="Order"/>.
/// </summary>
public sealed class PaymentRulesModel(OrderSpec order)
{
    public OrderStatus Status { get; private set; } = OrderStatus.AwaitingPayment;
    public decimal Paid { get; private set; }
    public decimal Surplus { get; private set; }
    public string? Pending { get; private set; }
    public bool PaidLate { get; private set; }
    /// <summary>History lines: one for placing the order, one per recorded transfer and per applied change.</summary>
    public int Entries { get; private set; } = 1;
    public int Deliveries { get; private set; }
    public int StockRequests { get; private set; }
    public int Expirations { get; private set; }
    public int Holds { get; private set; }
    public int PartialPayments { get; private set; }
    public List<bool> Refunds { get; } = [];

    private bool HoldsItems => Status is OrderStatus.AwaitingPayment or OrderStatus.PartiallyPaid or OrderStatus.PaymentProcessing;

    private bool RightCurrency(TransferSpec t) => t.Currency == order.Currency;

    /// <summary>
    /// A transfer made in the payment window (the clock skew before it included) holds an order that
    /// still has its items, unless another transfer already holds it (one hold at a time).
    /// </summary>
    public bool SeePending(TransferSpec t)
    {
        var inWindow = t.Timing is TransferTiming.WithinSkew or TransferTiming.InTime or TransferTiming.AtDeadline;
        if (!HoldsItems || Pending is not null || !RightCurrency(t) || !inWindow) return false;
        Pending = t.Id;
        Status = OrderStatus.PaymentProcessing;
        Holds++;
        Entries++;
        return true;
    }

    /// <summary>The transfer holding the order failed: back to waiting, or partly paid if money came before.</summary>
    public bool Fail(TransferSpec t)
    {
        if (Status != OrderStatus.PaymentProcessing || Pending != t.Id) return false;
        Pending = null;
        Status = Paid == 0 ? OrderStatus.AwaitingPayment : OrderStatus.PartiallyPaid;
        Entries++;
        return true;
    }

    /// <summary>The deadline job: nothing paid, expired; something paid, refund due.</summary>
    public bool Expire()
    {
        if (Status is not (OrderStatus.AwaitingPayment or OrderStatus.PartiallyPaid)) return false;
        if (Paid == 0)
        {
            Status = OrderStatus.Expired;
            Expirations++;
        }
        else
        {
            Status = OrderStatus.RefundDue;
            Refunds.Add(true);
        }

        Entries++;
        return true;
    }

    public PaymentOutcome Succeed(TransferSpec t)
    {
        Entries++;
        var settlesHold = Pending == t.Id;
        if (settlesHold) Pending = null;
        var notCounted = !RightCurrency(t) ? PaymentOutcome.WrongCurrency
            : t.Timing == TransferTiming.BeforeOrder ? PaymentOutcome.BeforeOrder
            : t.Timing == TransferTiming.TooLate ? PaymentOutcome.TooLate
            : Paid >= order.Total ? PaymentOutcome.Duplicate
            : (PaymentOutcome?)null;
        if (notCounted is { } outcome)
        {
            // The transfer that held the order settled as something that does not count: the hold ends.
            if (settlesHold && Status == OrderStatus.PaymentProcessing)
            {
                Status = Paid == 0 ? OrderStatus.AwaitingPayment : OrderStatus.PartiallyPaid;
                Entries++;
            }

            if (outcome == PaymentOutcome.Duplicate) Surplus += t.Amount;
            return outcome;
        }

        var late = t.Timing is TransferTiming.Late or TransferTiming.AtWindowEnd;
        Paid += t.Amount;
        if (Paid >= order.Total)
        {
            Surplus += Paid - order.Total;
            PaidLate = late;
            if (HoldsItems)
            {
                Status = OrderStatus.Delivered;
                Pending = null;
                Deliveries++;
            }
            else if (Status != OrderStatus.RefundDue)
            {
                StockRequests++;
            }

            return late ? PaymentOutcome.Late : PaymentOutcome.Accepted;
        }

        if (Pending is not null && Status == OrderStatus.PaymentProcessing)
        {
            // Another transfer in flight may still complete the total: the order stays held.
        }
        else if (Status == OrderStatus.RefundDue)
        {
            // Already owed back: the new money only adds to it.
        }
        else if (late || !HoldsItems)
        {
            Refunds.Add(HoldsItems);
            Status = OrderStatus.RefundDue;
        }
        else
        {
            Status = OrderStatus.PartiallyPaid;
            PartialPayments++;
        }

        return late ? PaymentOutcome.Late : PaymentOutcome.Partial;
    }
}
