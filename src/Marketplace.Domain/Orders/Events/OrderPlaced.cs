using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders.Events;

/// <summary>A buyer placed the order; its items are reserved until the payment deadline.</summary>
public sealed record OrderPlaced(Guid OrderId, DateTimeOffset OccurredAt) : IDomainEvent;
