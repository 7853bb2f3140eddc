namespace Marketplace.Domain.Common;

/// <summary>
/// Something that happened to an aggregate, raised by the transition that caused it. Handlers run
/// in the same transaction, before the change is written (see docs/adr/0010-domain-events.md).
/// </summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}

/// <summary>An aggregate that raises domain events; the persistence layer collects and dispatches them.</summary>
public interface IHasDomainEvents
{
    IReadOnlyList<IDomainEvent> DomainEvents { get; }

    void ClearDomainEvents();
}
