using Marketplace.Domain.Common;
using Marketplace.Domain.Webhooks;

namespace Marketplace.Domain.Tests;

/// <summary>An endpoint's subscriptions, secret rotation overlap and the state a delivery moves through.</summary>
public sealed class WebhookEndpointTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static WebhookEndpoint New() =>
        new(Guid.NewGuid(), Guid.NewGuid(), 1, "https://shop.example.com/hooks", ["order.delivered", " order.created ", "order.delivered"], " note ", "enc-1", Now);

    [Fact]
    public void Event_types_are_trimmed_deduplicated_and_sorted()
    {
        var endpoint = New();
        Assert.Equal(["order.created", "order.delivered"], endpoint.EventTypeList);
        Assert.True(endpoint.Subscribes("order.created"));
        Assert.False(endpoint.Subscribes("order"));
        Assert.Equal("note", endpoint.Description);
    }

    [Fact]
    public void A_rotated_secret_signs_alongside_the_new_one_for_a_day()
    {
        var endpoint = New();
        endpoint.RotateSecret("enc-2", Now);

        Assert.Equal(["enc-2", "enc-1"], endpoint.SigningSecrets(Now.AddHours(23)));
        Assert.Equal(["enc-2"], endpoint.SigningSecrets(Now.AddHours(24)));
    }

    [Fact]
    public void Enabling_again_forgets_the_failure_run()
    {
        var endpoint = New();
        endpoint.Change(null, null, null, enabled: false, Now);
        Assert.False(endpoint.Enabled);
        Assert.Equal("Disabled by the owner", endpoint.DisabledReason);

        endpoint.Change(null, null, null, enabled: true, Now);
        Assert.True(endpoint.Enabled);
        Assert.Null(endpoint.DisabledReason);
        Assert.Equal(0, endpoint.ConsecutiveFailures);
    }

    [Fact]
    public void The_slot_is_bounded_by_the_per_account_cap() =>
        Assert.Equal("webhook.slot", Assert.Throws<DomainException>(() =>
            new WebhookEndpoint(Guid.NewGuid(), Guid.NewGuid(), WebhookEndpoint.MaxPerAccount + 1, "https://x.example", ["ping"], null, "enc", Now)).Code);

    [Fact]
    public void A_delivery_retries_on_schedule_then_fails_and_a_success_ends_it()
    {
        var delivery = new WebhookDelivery(Guid.NewGuid(), "evt_1", Guid.NewGuid(), Now);
        delivery.AttemptFailed(Now, 500, new string('x', 900), "oops", TimeSpan.FromSeconds(30));
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal(Now.AddSeconds(30), delivery.NextAttemptAt);
        Assert.Equal(WebhookDelivery.MaxErrorLength, delivery.LastError!.Length);

        delivery.AttemptFailed(Now, null, "timeout", null, retryAfter: null);
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Null(delivery.NextAttemptAt);
        Assert.Equal(2, delivery.Attempts);

        var other = new WebhookDelivery(Guid.NewGuid(), "evt_1", Guid.NewGuid(), Now);
        other.Succeeded(Now, 204, null);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, other.Status);
        Assert.Equal(Now, other.DeliveredAt);
    }

    [Fact]
    public void The_domain_raises_the_events_webhooks_report()
    {
        var wallet = new Marketplace.Domain.Wallets.Wallet(Guid.NewGuid(), Guid.NewGuid(), "qiwi", "+79001234567", "enc", Now, sandbox: true);
        wallet.RecordSyncFailure("refused", Now, credentialsRejected: true);
        wallet.RecordSyncFailure("refused again", Now, credentialsRejected: true); // already needs attention: once
        Assert.Single(wallet.DomainEvents.OfType<Marketplace.Domain.Wallets.Events.WalletNeedsAttention>());

        var dispute = new Marketplace.Domain.Disputes.Dispute(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(),
            Marketplace.Domain.Disputes.DisputeReason.KeyInvalid, "Does not work", Now, TimeSpan.FromDays(3));
        dispute.AddMessage(dispute.SellerId, Marketplace.Domain.Disputes.DisputeParty.Seller, "Try again", Now);
        dispute.Withdraw(dispute.BuyerId, Now);
        Assert.Collection(dispute.DomainEvents,
            e => Assert.IsType<Marketplace.Domain.Disputes.Events.DisputeOpened>(e),
            e => Assert.IsType<Marketplace.Domain.Disputes.Events.DisputeUpdated>(e),
            e => Assert.Equal(Marketplace.Domain.Disputes.DisputeResolution.Withdrawn,
                Assert.IsType<Marketplace.Domain.Disputes.Events.DisputeResolved>(e).Resolution));
    }
}
