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

    /// <summary>A transfer made in the payment window (the clock skew before it included) holds an order that still has its items.</summary>
    public bool SeePending(TransferSpec t)
    {
        var inWindow = t.Timing is TransferTiming.WithinSkew or TransferTiming.InTime or TransferTiming.AtDeadline;
        if (!HoldsItems || Pending == t.Id || !RightCurrency(t) || !inWindow) return false;
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
        if (Pending == t.Id) Pending = null;
        if (!RightCurrency(t)) return PaymentOutcome.WrongCurrency;
        if (t.Timing == TransferTiming.BeforeOrder) return PaymentOutcome.BeforeOrder;
        if (t.Timing == TransferTiming.TooLate) return PaymentOutcome.TooLate;
        if (Paid >= order.Total)
        {
            Surplus += t.Amount;
            return PaymentOutcome.Duplicate;
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
                Deliveries++;
            }
            else
            {
                StockRequests++;
            }

            return late ? PaymentOutcome.Late : PaymentOutcome.Accepted;
        }

        if (late || !HoldsItems)
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
