namespace Marketplace.Client.Models;

/// <param name="Reason">KeyInvalid, KeyAlreadyUsed, WrongRegionOrPlatform, NotReceived, PaidButNotDelivered or Other.</param>
public sealed record OpenDisputeRequest(string Reason, string Description);

public sealed record Dispute(
    Guid Id, Guid OrderId, string Role, string Reason, string Description, string Status, string? Resolution, DateTimeOffset OpenedAt,
    DateTimeOffset SellerRespondBy, DateTimeOffset? EscalatedAt, DateTimeOffset? ResolvedAt, IReadOnlyList<DisputeEvent> Events,
    DateTimeOffset? RemedyDueBy, DateTimeOffset? RemedyDoneAt, DateTimeOffset? RemedyOverdueAt);

public sealed record DisputeEvent(int Sequence, DateTimeOffset At, string Party, string Type, string Text, string? Decision);

public sealed record DisputeSummary(
    Guid Id, Guid OrderId, string Role, string Reason, string Status, string? Resolution, DateTimeOffset OpenedAt, DateTimeOffset SellerRespondBy);

public sealed record DisputeMessageRequest(string Text);

public sealed record ContestRequest(string? Statement = null);

public sealed record RefundReportRequest(string TransactionId);

public sealed record RefundSendRequest(decimal Amount);
