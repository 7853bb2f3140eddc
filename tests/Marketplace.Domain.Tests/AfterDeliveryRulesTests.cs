using Marketplace.Domain.Common;
using Marketplace.Domain.Disputes;
using Marketplace.Domain.Orders;
using static Marketplace.Domain.Tests.TestOrders;

namespace Marketplace.Domain.Tests;

/// <summary>The order's life after delivery (protection window, completion, one dispute at a time) and the dispute's state machine.</summary>
public sealed class AfterDeliveryRulesTests
{
    private static readonly DateTimeOffset PaidAt = Placed.AddMinutes(5);

    private static Order Delivered()
    {
        var order = New();
        order.Pay("t1", 300m, PaidAt);
        return order;
    }

    private static Dispute OpenOn(Order order, DateTimeOffset at)
    {
        var dispute = new Dispute(Guid.NewGuid(), order.Id, order.BuyerId, order.SellerId, DisputeReason.KeyInvalid, "Used key", at, TimeSpan.FromHours(72));
        order.OpenDispute(dispute.Id, at, "KeyInvalid");
        return dispute;
    }

    [Fact]
    public void Delivery_starts_the_protection_window()
    {
        var order = Delivered();
        Assert.Equal(order.DeliveredAt!.Value.AddHours(72), order.ProtectionEndsAt);
        Assert.Null(order.CompletedAt);
    }

    [Fact]
    public void The_window_ending_completes_the_order_once_and_not_before()
    {
        var order = Delivered();
        Assert.False(order.CompleteAfterProtection(order.ProtectionEndsAt!.Value.AddSeconds(-1)));
        Assert.True(order.CompleteAfterProtection(order.ProtectionEndsAt.Value));
        Assert.False(order.CompleteAfterProtection(order.ProtectionEndsAt.Value.AddDays(1)));
        Assert.Equal("order.protection_ended", order.LastEntry().Rule);
    }

    [Fact]
    public void An_open_dispute_holds_the_order_and_only_one_is_open_at_a_time()
    {
        var order = Delivered();
        var dispute = OpenOn(order, PaidAt.AddHours(1));
        Assert.False(order.CompleteAfterProtection(order.ProtectionEndsAt!.Value.AddDays(1)));
        Assert.Equal("dispute.already_open", Assert.Throws<DomainException>(() => order.OpenDispute(Guid.NewGuid(), PaidAt.AddHours(2), "Other")).Code);
        Assert.Equal("order.dispute_open", Assert.Throws<DomainException>(() => order.ConfirmReceipt(PaidAt.AddHours(2))).Code);

        order.CloseDispute(dispute.Id, PaidAt.AddHours(3), "withdrawn", complete: false);
        Assert.True(order.CompleteAfterProtection(order.ProtectionEndsAt.Value));
    }

    [Fact]
    public void A_dispute_about_goods_must_come_inside_the_window_and_before_completion()
    {
        var late = Delivered();
        Assert.Equal("dispute.not_allowed", Assert.Throws<DomainException>(() => late.OpenDispute(Guid.NewGuid(), late.ProtectionEndsAt!.Value, "x")).Code);
        var confirmed = Delivered();
        confirmed.ConfirmReceipt(PaidAt.AddHours(1));
        Assert.Equal("dispute.not_allowed", Assert.Throws<DomainException>(() => confirmed.OpenDispute(Guid.NewGuid(), PaidAt.AddHours(2), "x")).Code);
        var unpaid = New();
        Assert.Equal("dispute.not_allowed", Assert.Throws<DomainException>(() => unpaid.OpenDispute(Guid.NewGuid(), PaidAt, "x")).Code);
    }

    [Fact]
    public void Money_paid_for_nothing_can_be_disputed_long_after()
    {
        var order = New();
        order.Pay("t1", 100m, PaidAt); // partly paid, still before the deadline
        Assert.Equal(OrderStatus.PartiallyPaid, order.Status);
        order.OpenDispute(Guid.NewGuid(), PaidAt.AddDays(90), "PaidButNotDelivered");
        Assert.Equal("dispute.opened", order.LastEntry().Rule);
    }

    [Fact]
    public void The_seller_acts_only_while_the_dispute_awaits_them()
    {
        var order = Delivered();
        var dispute = OpenOn(order, PaidAt);
        Assert.Equal("dispute.forbidden", Assert.Throws<DomainException>(() => dispute.Replaced(order.BuyerId, PaidAt)).Code);
        dispute.Contest(order.SellerId, null, PaidAt.AddHours(1));
        Assert.Equal(DisputeStatus.Escalated, dispute.Status);
        Assert.Equal("dispute.invalid_transition", Assert.Throws<DomainException>(() => dispute.Replaced(order.SellerId, PaidAt.AddHours(2))).Code);
        Assert.Equal("dispute.invalid_transition", Assert.Throws<DomainException>(() => dispute.Contest(order.SellerId, null, PaidAt.AddHours(2))).Code);
    }

    [Fact]
    public void An_unanswered_dispute_escalates_at_the_deadline_once()
    {
        var order = Delivered();
        var dispute = OpenOn(order, PaidAt);
        Assert.False(dispute.EscalateIfOverdue(dispute.SellerRespondBy.AddSeconds(-1)));
        Assert.True(dispute.EscalateIfOverdue(dispute.SellerRespondBy));
        Assert.False(dispute.EscalateIfOverdue(dispute.SellerRespondBy.AddDays(1)));
        Assert.Equal([DisputeEventType.Opened, DisputeEventType.Escalated], dispute.Events.Select(e => e.Type));
    }

    [Fact]
    public void Only_an_escalated_dispute_is_decided_and_a_resolved_one_takes_nothing_more()
    {
        var order = Delivered();
        var dispute = OpenOn(order, PaidAt);
        var moderator = Guid.NewGuid();
        Assert.Equal("dispute.invalid_transition", Assert.Throws<DomainException>(() => dispute.Decide(moderator, true, "x", PaidAt, TimeSpan.FromHours(72))).Code);
        dispute.Contest(order.SellerId, "It works", PaidAt);
        dispute.Decide(moderator, forBuyer: false, "Works as described", PaidAt.AddHours(1), TimeSpan.FromHours(72));

        Assert.Equal((DisputeStatus.Resolved, DisputeResolution.ForSeller), (dispute.Status, dispute.Resolution));
        Assert.Equal("dispute.invalid_transition", Assert.Throws<DomainException>(() => dispute.AddMessage(order.BuyerId, DisputeParty.Buyer, "?", PaidAt.AddHours(2))).Code);
        Assert.Equal("dispute.invalid_transition", Assert.Throws<DomainException>(() => dispute.Withdraw(order.BuyerId, PaidAt.AddHours(2))).Code);
        Assert.Equal(Enumerable.Range(1, dispute.Events.Count), dispute.Events.Select(e => e.Sequence));
    }

    [Fact]
    public void A_remedy_owed_after_a_decision_is_marked_overdue_once_and_never_once_made()
    {
        var order = Delivered();
        var late = OpenOn(order, PaidAt);
        late.Contest(order.SellerId, null, PaidAt);
        late.Decide(Guid.NewGuid(), forBuyer: true, "Key was used", PaidAt, TimeSpan.FromHours(72));
        Assert.False(late.MarkRemedyOverdue(PaidAt.AddHours(71)));
        Assert.True(late.MarkRemedyOverdue(PaidAt.AddHours(72)));
        Assert.False(late.MarkRemedyOverdue(PaidAt.AddHours(100)));
        Assert.Equal(DisputeEventType.RemedyOverdue, late.Events[^1].Type);

        var other = Delivered();
        var remedied = OpenOn(other, PaidAt);
        remedied.Contest(other.SellerId, null, PaidAt);
        remedied.Decide(Guid.NewGuid(), forBuyer: true, "Key was used", PaidAt, TimeSpan.FromHours(72));
        remedied.Replaced(other.SellerId, PaidAt.AddHours(1));
        Assert.False(remedied.OwedAfterDecision);
        Assert.False(remedied.MarkRemedyOverdue(PaidAt.AddHours(100)));
    }

    [Theory]
    [InlineData("fine <3", true)]
    [InlineData("a -> b, 1 < 2", true)]
    [InlineData("line one\nline two\ttabbed", true)]
    [InlineData("<b>bold</b>", false)]
    [InlineData("</script>", false)]
    [InlineData("<!-- x -->", false)]
    [InlineData("bell\u0007", false)]
    public void Thread_text_is_plain(string text, bool plain) => Assert.Equal(plain, Dispute.IsPlainText(text));
}
