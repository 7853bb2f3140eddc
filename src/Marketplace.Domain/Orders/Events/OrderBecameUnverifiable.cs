using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders.Events;

/// <summary>The seller's wallet stayed unreadable past the hold limit: the reserved items go back to stock.</summary>
public sealed record OrderBecameUnverifiable(Guid OrderId, DateTimeOffset OccurredAt) : IDomainEvent;
