using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;

namespace Marketplace.Domain.Tests;

public sealed class PaymentMatchingPolicyTests
{
    private static readonly DateTimeOffset Placed = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static Order NewOrder(decimal price = 150m, int quantity = 2) => new(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), new PaymentDestination(Guid.NewGuid(), "qiwi", "+79001234567", Sandbox: true),
        quantity, new Money(price, "RUB"), "ABCDEFGHJK", Placed, TimeSpan.FromMinutes(30));

    private static ObservedTransfer Transfer(decimal amount = 300m, string? currency = "RUB", TransferStatus status = TransferStatus.Succeeded, DateTimeOffset? at = null) =>
        new("1", at ?? Placed.AddMinutes(10), amount, currency, status, "ABCDEFGHJK", "+79990000000");

    [Fact]
    public void An_exact_successful_payment_in_time_is_accepted() =>
        Assert.Equal(PaymentOutcome.Accepted, PaymentMatchingPolicy.Decide(NewOrder(), Transfer()));

    [Fact]
    public void Paying_more_is_accepted() =>
        Assert.Equal(PaymentOutcome.Accepted, PaymentMatchingPolicy.Decide(NewOrder(), Transfer(amount: 300.01m)));

    [Fact]
    public void Paying_a_kopeck_less_is_underpaid() =>
        Assert.Equal(PaymentOutcome.Underpaid, PaymentMatchingPolicy.Decide(NewOrder(), Transfer(amount: 299.99m)));

    [Theory]
    [InlineData("USD")]
    [InlineData(null)]
    public void Another_or_unknown_currency_is_refused(string? currency) =>
        Assert.Equal(PaymentOutcome.WrongCurrency, PaymentMatchingPolicy.Decide(NewOrder(), Transfer(currency: currency)));

    [Fact]
    public void A_pending_or_failed_transfer_decides_nothing()
    {
        Assert.Null(PaymentMatchingPolicy.Decide(NewOrder(), Transfer(status: TransferStatus.Pending)));
        Assert.Null(PaymentMatchingPolicy.Decide(NewOrder(), Transfer(status: TransferStatus.Failed)));
        Assert.False(PaymentMatchingPolicy.IsFinal(Transfer(status: TransferStatus.Pending)));
    }

    [Fact]
    public void Timing_is_checked_against_placement_and_deadline()
    {
        var order = NewOrder();
        Assert.Equal(PaymentOutcome.Accepted, PaymentMatchingPolicy.Decide(order, Transfer(at: order.ExpiresAt)));
        Assert.Equal(PaymentOutcome.Late, PaymentMatchingPolicy.Decide(order, Transfer(at: order.ExpiresAt.AddSeconds(1))));
        Assert.Equal(PaymentOutcome.Accepted, PaymentMatchingPolicy.Decide(order, Transfer(at: Placed.AddMinutes(-4))));
        Assert.Equal(PaymentOutcome.BeforeOrder, PaymentMatchingPolicy.Decide(order, Transfer(at: Placed.AddMinutes(-6))));
    }

    [Fact]
    public void A_delivered_order_cannot_be_paid_again()
    {
        var order = NewOrder();
        order.MarkDelivered(Guid.NewGuid(), Placed.AddMinutes(1), Placed.AddMinutes(2));
        Assert.Equal(PaymentOutcome.OrderNotPayable, PaymentMatchingPolicy.Decide(order, Transfer()));
    }

    [Fact]
    public void A_full_payment_for_a_cancelled_order_is_recorded_as_order_cancelled_not_accepted()
    {
        var order = NewOrder();
        order.Cancel(Placed.AddMinutes(12));

        // Paid before the cancellation and after it: neither pays, both are evidence for a refund.
        Assert.Equal(PaymentOutcome.OrderCancelled, PaymentMatchingPolicy.Decide(order, Transfer(at: Placed.AddMinutes(10))));
        Assert.Equal(PaymentOutcome.OrderCancelled, PaymentMatchingPolicy.Decide(order, Transfer(at: Placed.AddMinutes(20))));
        Assert.Null(PaymentMatchingPolicy.Decide(order, Transfer(status: TransferStatus.Failed)));
    }
}
