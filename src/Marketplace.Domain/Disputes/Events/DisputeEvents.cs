using Marketplace.Domain.Common;

namespace Marketplace.Domain.Disputes.Events;

/// <summary>The buyer opened a dispute about an order.</summary>
public sealed record DisputeOpened(Guid DisputeId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A step was added to an open (or decided, remedy still owed) dispute: a message, a contest, an escalation, a refund, ...</summary>
public sealed record DisputeUpdated(Guid DisputeId, DisputeEventType Step, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The dispute ended: resolved by the seller, withdrawn by the buyer or decided by a moderator.</summary>
public sealed record DisputeResolved(Guid DisputeId, DisputeResolution Resolution, DateTimeOffset OccurredAt) : IDomainEvent;
