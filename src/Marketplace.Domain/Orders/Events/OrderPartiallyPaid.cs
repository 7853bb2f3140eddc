using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders.Events;

/// <summary>A transfer covered part of the order's total; the items stay reserved until the deadline.</summary>
public sealed record OrderPartiallyPaid(Guid OrderId, DateTimeOffset OccurredAt) : IDomainEvent;
