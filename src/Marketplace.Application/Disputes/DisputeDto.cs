using Marketplace.Domain.Disputes;

namespace Marketplace.Application.Disputes;

/// <summary>A dispute as its buyer, seller or a moderator sees it; <c>role</c> says which one the caller is.</summary>
public sealed record DisputeDto(
    Guid Id, Guid OrderId, string Role, DisputeReason Reason, string Description, DisputeStatus Status, DisputeResolution? Resolution,
    DateTimeOffset OpenedAt, DateTimeOffset SellerRespondBy, DateTimeOffset? EscalatedAt, DateTimeOffset? ResolvedAt,
    IReadOnlyList<DisputeEventDto> Events, DateTimeOffset? RemedyDueBy = null, DateTimeOffset? RemedyDoneAt = null, DateTimeOffset? RemedyOverdueAt = null)
{
    public static DisputeDto From(Dispute dispute, string role) =>
        new(dispute.Id, dispute.OrderId, role, dispute.Reason, dispute.Description, dispute.Status, dispute.Resolution,
            dispute.OpenedAt, dispute.SellerRespondBy, dispute.EscalatedAt, dispute.ResolvedAt,
            dispute.Events.OrderBy(e => e.Sequence).Select(DisputeEventDto.From).ToList(),
            dispute.RemedyDueBy, dispute.RemedyDoneAt, dispute.RemedyOverdueAt);
}

/// <summary>One step of the dispute: who (party), when, what.</summary>
public sealed record DisputeEventDto(int Sequence, DateTimeOffset At, DisputeParty Party, DisputeEventType Type, string Text, string? Decision)
{
    public static DisputeEventDto From(DisputeEvent e) => new(e.Sequence, e.At, e.Party, e.Type, e.Text, e.Data);
}

public static class DisputeRoles
{
    public const string Buyer = "buyer";
    public const string Seller = "seller";
    public const string Moderator = "moderator";
}
