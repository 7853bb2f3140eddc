using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders.Events;

/// <summary>The order's total is covered: its reserved items are sold to the buyer.</summary>
public sealed record OrderPaid(Guid OrderId, bool Late, DateTimeOffset OccurredAt) : IDomainEvent;
