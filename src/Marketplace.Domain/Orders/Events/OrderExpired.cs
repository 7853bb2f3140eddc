using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders.Events;

/// <summary>No payment arrived in time: the reserved items go back to stock.</summary>
public sealed record OrderExpired(Guid OrderId, DateTimeOffset OccurredAt) : IDomainEvent;
