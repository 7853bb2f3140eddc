using Marketplace.Domain.Common;

namespace Marketplace.Application.Common.Events;

/// <summary>
/// Reacts to a domain event inside the transaction that raised it (before the change is written), so
/// a state change and its consequences (stock, later the outbox) commit or fail together.
/// </summary>
public interface IDomainEventHandler<in TEvent> where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent domainEvent, CancellationToken cancellationToken);
}
