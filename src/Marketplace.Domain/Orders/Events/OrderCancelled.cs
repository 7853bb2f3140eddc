using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders.Events;

/// <summary>The buyer gave up the unpaid order: the reserved items go back to stock.</summary>
public sealed record OrderCancelled(Guid OrderId, DateTimeOffset OccurredAt) : IDomainEvent;
