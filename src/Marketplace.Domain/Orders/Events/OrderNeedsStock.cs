using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders.Events;

/// <summary>A payment covered an order whose items had gone back to stock: reserve them again (then deliver) or owe a refund.</summary>
public sealed record OrderNeedsStock(Guid OrderId, DateTimeOffset OccurredAt) : IDomainEvent;
