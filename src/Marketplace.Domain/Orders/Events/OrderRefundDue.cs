using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders.Events;

/// <summary>The buyer paid but the order cannot be fulfilled; if it held items, they go back to stock.</summary>
public sealed record OrderRefundDue(Guid OrderId, bool ReleasesStock, DateTimeOffset OccurredAt) : IDomainEvent;
