using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders.Events;

/// <summary>The wallet shows a transfer for this order that is not final yet.</summary>
public sealed record OrderPaymentProcessing(Guid OrderId, DateTimeOffset OccurredAt) : IDomainEvent;
