using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using static Marketplace.Domain.Tests.TestOrders;

namespace Marketplace.Domain.Tests;

/// <summary>The pure decision alone; OrderPaymentTests covers what the order does with it.</summary>
public sealed class PaymentMatchingPolicyTests
{
    private static PaymentOutcome Decide(
        Order order, decimal amount = 300m, DateTimeOffset? at = null, string? currency = "RUB", PaymentSource source = PaymentSource.Comment) =>
        PaymentMatchingPolicy.Decide(order, Transfer("t", amount, at ?? Placed.AddMinutes(10), currency), source, Rules);

    [Theory]
    [InlineData(300, PaymentOutcome.Accepted)]
    [InlineData(300.01, PaymentOutcome.Accepted)]
    [InlineData(299.99, PaymentOutcome.Partial)]
    [InlineData(0.01, PaymentOutcome.Partial)]
    public void The_amount_decides_between_accepted_and_partial(decimal amount, PaymentOutcome expected) =>
        Assert.Equal(expected, Decide(New(), amount));

    [Theory]
    [InlineData("USD")]
    [InlineData("rub")]
    [InlineData(null)]
    public void Another_or_unknown_currency_is_wrong_currency(string? currency) =>
        Assert.Equal(PaymentOutcome.WrongCurrency, Decide(New(), currency: currency));

    [Theory]
    [InlineData(TransferStatus.Pending)]
    [InlineData(TransferStatus.Failed)]
    public void Only_a_successful_transfer_is_decided(TransferStatus status) =>
        Assert.Throws<ArgumentException>(() =>
            PaymentMatchingPolicy.Decide(New(), Transfer("t", 300m, Placed, status: status), PaymentSource.Comment, Rules));

    [Fact]
    public void Timing_boundaries_are_inclusive_of_the_skew_the_deadline_and_the_monitoring_window()
    {
        var order = New();
        Assert.Equal(PaymentOutcome.BeforeOrder, Decide(order, at: Placed - Rules.ClockSkew - TimeSpan.FromSeconds(1)));
        Assert.Equal(PaymentOutcome.Accepted, Decide(order, at: Placed - Rules.ClockSkew));
        Assert.Equal(PaymentOutcome.Accepted, Decide(order, at: Deadline));
        Assert.Equal(PaymentOutcome.Late, Decide(order, at: Deadline.AddTicks(1)));
        Assert.Equal(PaymentOutcome.Late, Decide(order, at: Deadline + Rules.MonitoringWindow));
        Assert.Equal(PaymentOutcome.TooLate, Decide(order, at: Deadline + Rules.MonitoringWindow + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_late_partial_transfer_is_late_too() => Assert.Equal(PaymentOutcome.Late, Decide(New(), 1m, Deadline.AddMinutes(1)));

    [Fact]
    public void The_currency_is_checked_before_the_timing() =>
        Assert.Equal(PaymentOutcome.WrongCurrency, Decide(New(), at: Placed.AddDays(-10), currency: "EUR"));

    [Fact]
    public void Timing_is_checked_before_a_duplicate()
    {
        var order = New();
        order.Pay("t1", 300m, Placed.AddMinutes(1));

        Assert.Equal(PaymentOutcome.Duplicate, Decide(order, at: Placed.AddMinutes(2)));
        Assert.Equal(PaymentOutcome.Duplicate, Decide(order, at: Deadline.AddHours(1)));
        Assert.Equal(PaymentOutcome.TooLate, Decide(order, at: Deadline.AddDays(2)));
        Assert.Equal(PaymentOutcome.BeforeOrder, Decide(order, at: Placed.AddDays(-1)));
    }

    [Fact]
    public void Any_transfer_for_a_cancelled_order_is_order_cancelled_whether_made_before_or_after_cancelling()
    {
        var order = New();
        order.Cancel(Placed.AddMinutes(12));

        Assert.Equal(PaymentOutcome.OrderCancelled, Decide(order, at: Placed.AddMinutes(10)));
        Assert.Equal(PaymentOutcome.OrderCancelled, Decide(order, 1m, Placed.AddMinutes(20)));
        Assert.Equal(PaymentOutcome.OrderCancelled, Decide(order, at: Deadline.AddHours(2)));
    }

    [Fact]
    public void A_seller_attachment_ignores_timing_but_not_currency()
    {
        var order = New();
        Assert.Equal(PaymentOutcome.Accepted, Decide(order, at: Placed.AddDays(-30), source: PaymentSource.SellerAttached));
        Assert.Equal(PaymentOutcome.Accepted, Decide(order, at: Deadline.AddDays(30), source: PaymentSource.SellerAttached));
        Assert.Equal(PaymentOutcome.Partial, Decide(order, 10m, Deadline.AddHours(1), source: PaymentSource.SellerAttached));
        Assert.Equal(PaymentOutcome.WrongCurrency, Decide(order, currency: "USD", source: PaymentSource.SellerAttached));
    }

    [Fact]
    public void A_buyer_claim_is_timed_like_a_comment()
    {
        var order = New();
        Assert.Equal(PaymentOutcome.BeforeOrder, Decide(order, at: Placed.AddDays(-1), source: PaymentSource.BuyerClaim));
        Assert.Equal(PaymentOutcome.Late, Decide(order, at: Deadline.AddHours(1), source: PaymentSource.BuyerClaim));
        Assert.Equal(PaymentOutcome.TooLate, Decide(order, at: Deadline.AddDays(2), source: PaymentSource.BuyerClaim));
    }

    [Fact]
    public void Deciding_changes_nothing()
    {
        var order = New();
        Decide(order);
        Assert.Equal(OrderStatus.AwaitingPayment, order.Status);
        Assert.Equal(0m, order.PaidAmount);
        Assert.Equal(0, order.Version);
        Assert.Single(order.History);
    }

    [Fact]
    public void Outcomes_that_count_and_outcomes_that_wait_for_the_seller_do_not_overlap()
    {
        Assert.Equal(
            [PaymentOutcome.Accepted, PaymentOutcome.Partial, PaymentOutcome.Late, PaymentOutcome.OrderCancelled],
            Enum.GetValues<PaymentOutcome>().Where(o => o.Counts()));
        Assert.All(Enum.GetValues<PaymentOutcome>(), o => Assert.False(o.Counts() && o.NeedsSeller()));
        Assert.True(PaymentOutcome.TooLate.NeedsSeller());
        Assert.False(PaymentOutcome.OrderCancelled.NeedsSeller());
    }
}
