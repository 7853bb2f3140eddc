namespace Marketplace.Application.Webhooks;

/// <summary>The event types an endpoint may subscribe to (docs/webhooks.md shows each payload).</summary>
public static class WebhookEventTypes
{
    public const string OrderCreated = "order.created";
    public const string OrderPaymentProcessing = "order.payment_processing";
    public const string OrderPartiallyPaid = "order.partially_paid";
    public const string OrderDelivered = "order.delivered";
    public const string OrderExpired = "order.expired";
    public const string OrderPaidLate = "order.paid_late";
    public const string OrderRefundDue = "order.refund_due";
    public const string OrderCancelled = "order.cancelled";
    public const string OrderUnverifiable = "order.unverifiable";
    public const string DisputeOpened = "dispute.opened";
    public const string DisputeUpdated = "dispute.updated";
    public const string DisputeResolved = "dispute.resolved";
    public const string ListingStockLow = "listing.stock_low";
    public const string WalletNeedsAttention = "wallet.needs_attention";

    /// <summary>
    /// The service disabled one of the account's endpoints after a long run of failures. Sent to the account's
    /// other endpoints that subscribe to it (the disabled one gets nothing until it is enabled again).
    /// </summary>
    public const string WebhookEndpointDisabled = "webhook_endpoint.disabled";

    /// <summary>Sent only by POST /webhooks/{id}/test, to that endpoint, whatever it subscribes to.</summary>
    public const string Ping = "ping";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        OrderCreated, OrderPaymentProcessing, OrderPartiallyPaid, OrderDelivered, OrderExpired, OrderPaidLate, OrderRefundDue,
        OrderCancelled, OrderUnverifiable, DisputeOpened, DisputeUpdated, DisputeResolved, ListingStockLow, WalletNeedsAttention,
        WebhookEndpointDisabled,
    };
}
