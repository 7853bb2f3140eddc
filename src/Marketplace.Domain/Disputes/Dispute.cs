using Marketplace.Domain.Common;
using Marketplace.Domain.Disputes.Events;

namespace Marketplace.Domain.Disputes;

/// <summary>
/// A buyer's complaint about one order, worked out between buyer, seller and, when they do not agree
/// in time, a moderator. Every step is appended to <see cref="Events"/> (who, when, what); nothing
/// there is ever changed or removed, so the dispute's evidence is its own history.
/// </summary>
public sealed class Dispute : IHasDomainEvents
{
    public const int MaxTextLength = 2000;

    private readonly List<DisputeEvent> _events = [];
    private readonly List<IDomainEvent> _domainEvents = [];

    private Dispute() { }

    public Dispute(Guid id, Guid orderId, Guid buyerId, Guid sellerId, DisputeReason reason, string description, DateTimeOffset now, TimeSpan sellerWindow)
    {
        Id = id;
        OrderId = orderId;
        BuyerId = buyerId;
        SellerId = sellerId;
        Reason = reason;
        Description = CheckText(description, "dispute.description");
        OpenedAt = now;
        SellerRespondBy = now + sellerWindow;
        Status = DisputeStatus.AwaitingSeller;
        Append(now, buyerId, DisputeParty.Buyer, DisputeEventType.Opened, Description);
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid BuyerId { get; private set; }
    public Guid SellerId { get; private set; }
    public DisputeReason Reason { get; private set; }
    public string Description { get; private set; } = "";
    public DisputeStatus Status { get; private set; }
    public DisputeResolution? Resolution { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    /// <summary>The seller acts (replaces, refunds, contests) before this, or the dispute goes to a moderator by itself.</summary>
    public DateTimeOffset SellerRespondBy { get; private set; }
    public DateTimeOffset? EscalatedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    /// <summary>Decided for the buyer: the seller refunds or replaces before this.</summary>
    public DateTimeOffset? RemedyDueBy { get; private set; }
    /// <summary>The remedy came (a replacement, a full refund, or the buyer released the order).</summary>
    public DateTimeOffset? RemedyDoneAt { get; private set; }
    /// <summary>The remedy's deadline passed without it: shown on the seller's profile until it comes.</summary>
    public DateTimeOffset? RemedyOverdueAt { get; private set; }
    public int Version { get; private set; }
    public IReadOnlyList<DisputeEvent> Events => _events;
    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    public void ClearDomainEvents() => _domainEvents.Clear();

    public bool IsOpen => Status is DisputeStatus.AwaitingSeller or DisputeStatus.Escalated;

    /// <summary>A message in the thread; only while the dispute is open.</summary>
    public void AddMessage(Guid actorId, DisputeParty party, string text, DateTimeOffset now)
    {
        EnsureOpen();
        Append(now, actorId, party, DisputeEventType.Message, CheckText(text, "dispute.message"));
    }

    /// <summary>The seller delivered another item from the listing's stock: the complaint is answered.</summary>
    public void Replaced(Guid sellerId, DateTimeOffset now)
    {
        if (OwedAfterDecision && sellerId == SellerId)
        {
            // The remedy a moderator asked for: recorded; the decision stands.
            Append(now, sellerId, DisputeParty.Seller, DisputeEventType.Replaced, "The seller delivered a replacement item, as decided");
            RemedyDoneAt = now;
            return;
        }

        EnsureSellerMayAct(sellerId);
        Resolve(now, sellerId, DisputeParty.Seller, DisputeResolution.Replaced, "The seller delivered a replacement item");
    }

    /// <summary>Decided for the buyer: the seller still owes a refund or a replacement (the order stays held until then).</summary>
    public bool OwedAfterDecision => Status == DisputeStatus.Resolved && Resolution == DisputeResolution.ForBuyer && RemedyDoneAt is null;

    /// <summary>The remedy's deadline passed without it: said once in the thread (and counted on the seller's profile).</summary>
    public bool MarkRemedyOverdue(DateTimeOffset now)
    {
        if (!OwedAfterDecision || RemedyOverdueAt is not null || RemedyDueBy is not { } due || now < due) return false;
        RemedyOverdueAt = now;
        Append(now, null, DisputeParty.System, DisputeEventType.RemedyOverdue, "The seller did not refund or replace by the deadline");
        return true;
    }

    /// <summary>
    /// The seller refunded (verified in the wallet's history): recorded in the thread; a full refund
    /// resolves the dispute. Also after a decision for the buyer, whose remedy a refund is.
    /// </summary>
    public void Refunded(Guid sellerId, decimal amount, string currency, string transactionId, bool full, DateTimeOffset now)
    {
        if (sellerId != SellerId) throw new DomainException("dispute.forbidden", "Only the seller can refund.");
        if (!IsOpen && !OwedAfterDecision)
            throw new DomainException("dispute.invalid_transition", $"The dispute is {Status}; there is no refund to record on it.");
        var text = $"The seller refunded {amount:0.00} {currency} (transaction {transactionId})";
        if (full && IsOpen)
        {
            Resolve(now, sellerId, DisputeParty.Seller, DisputeResolution.Refunded, text + "; everything paid is refunded");
            return;
        }

        Append(now, sellerId, DisputeParty.Seller, DisputeEventType.Refunded, text, transactionId.Length <= 64 ? transactionId : null);
        if (full && OwedAfterDecision) RemedyDoneAt = now;
    }

    /// <summary>The seller disagrees: a moderator decides.</summary>
    public void Contest(Guid sellerId, string? statement, DateTimeOffset now)
    {
        EnsureSellerMayAct(sellerId);
        Append(now, sellerId, DisputeParty.Seller, DisputeEventType.Contested,
            statement is null ? "The seller contests the dispute" : CheckText(statement, "dispute.statement"));
        Escalate(now, "Contested by the seller: a moderator decides");
    }

    /// <summary>The seller did not act in time: a moderator takes over.</summary>
    public bool EscalateIfOverdue(DateTimeOffset now)
    {
        if (Status != DisputeStatus.AwaitingSeller || now < SellerRespondBy) return false;
        Escalate(now, "The seller did not answer in time: a moderator decides");
        return true;
    }

    /// <summary>The buyer no longer disputes (the problem went away).</summary>
    public void Withdraw(Guid buyerId, DateTimeOffset now)
    {
        if (buyerId != BuyerId) throw new DomainException("dispute.forbidden", "Only the buyer can withdraw the dispute.");
        if (OwedAfterDecision)
        {
            // The buyer was made whole another way (or gives up the remedy): the order is no longer held.
            Append(now, buyerId, DisputeParty.Buyer, DisputeEventType.Released, "The buyer released the order; nothing more is owed");
            RemedyDoneAt = now;
            return;
        }

        EnsureOpen();
        Resolve(now, buyerId, DisputeParty.Buyer, DisputeResolution.Withdrawn, "The buyer withdrew the dispute");
    }

    /// <summary>A moderator's decision on an escalated dispute, with the reasons in words.</summary>
    public void Decide(Guid moderatorId, bool forBuyer, string note, DateTimeOffset now, TimeSpan remedyWindow)
    {
        if (Status != DisputeStatus.Escalated)
            throw new DomainException("dispute.invalid_transition", "Only a dispute escalated to a moderator can be decided.");
        if (forBuyer) RemedyDueBy = now + remedyWindow;
        Resolve(now, moderatorId, DisputeParty.Moderator, forBuyer ? DisputeResolution.ForBuyer : DisputeResolution.ForSeller,
            CheckText(note, "dispute.note"));
    }

    private void EnsureSellerMayAct(Guid sellerId)
    {
        if (sellerId != SellerId) throw new DomainException("dispute.forbidden", "Only the seller can do this.");
        if (Status != DisputeStatus.AwaitingSeller)
            throw new DomainException("dispute.invalid_transition", $"The seller cannot act on a dispute that is {Status}.");
    }

    private void EnsureOpen()
    {
        if (!IsOpen) throw new DomainException("dispute.invalid_transition", $"The dispute is {Status}.");
    }

    private void Escalate(DateTimeOffset now, string why)
    {
        Status = DisputeStatus.Escalated;
        EscalatedAt = now;
        Append(now, null, DisputeParty.System, DisputeEventType.Escalated, why);
    }

    private void Resolve(DateTimeOffset now, Guid actorId, DisputeParty party, DisputeResolution resolution, string text)
    {
        Status = DisputeStatus.Resolved;
        Resolution = resolution;
        ResolvedAt = now;
        Append(now, actorId, party, DisputeEventType.Resolved, text, resolution.ToString());
    }

    private void Append(DateTimeOffset at, Guid? actorId, DisputeParty party, DisputeEventType type, string text, string? data = null)
    {
        _events.Add(new DisputeEvent(Guid.NewGuid(), Id, _events.Count + 1, at, actorId, party, type, text, data));
        Version++;
        // One domain event per step: outside parties (webhooks) learn of each change in the same transaction.
        _domainEvents.Add(type switch
        {
            DisputeEventType.Opened => new DisputeOpened(Id, at),
            DisputeEventType.Resolved => new DisputeResolved(Id, Resolution!.Value, at),
            _ => new DisputeUpdated(Id, type, at),
        });
    }

    /// <summary>Plain text only: bounded, no control characters, no markup (a thread is shown to people, maybe in a browser).</summary>
    public static string CheckText(string? text, string field)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxTextLength)
            throw new DomainException(field, $"Text must be 1-{MaxTextLength} characters.");
        if (!IsPlainText(trimmed))
            throw new DomainException(field, "Text must be plain: no control characters and no markup tags.");
        return trimmed;
    }

    /// <summary>No control characters but line breaks and tabs, and nothing that opens a markup tag ("&lt;b", "&lt;/", "&lt;!"); "&lt;3" and "-&gt;" are fine.</summary>
    public static bool IsPlainText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) return false;
            if (c == '<' && i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is '/' or '!' or '?')) return false;
        }

        return true;
    }
}

/// <summary>One step of a dispute: append-only. <see cref="Sequence"/> orders them without relying on clock ties.</summary>
public sealed class DisputeEvent
{
    private DisputeEvent() { }

    public DisputeEvent(Guid id, Guid disputeId, int sequence, DateTimeOffset at, Guid? actorId, DisputeParty party, DisputeEventType type, string text, string? data)
    {
        Id = id;
        DisputeId = disputeId;
        Sequence = sequence;
        At = at;
        ActorId = actorId;
        Party = party;
        Type = type;
        Text = text;
        Data = data;
    }

    public Guid Id { get; private set; }
    public Guid DisputeId { get; private set; }
    public int Sequence { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary>The account that acted; null for the service itself (an escalation by deadline).</summary>
    public Guid? ActorId { get; private set; }
    public DisputeParty Party { get; private set; }
    public DisputeEventType Type { get; private set; }
    public string Text { get; private set; } = "";
    /// <summary>What the step decided, in a stable form (a resolution code).</summary>
    public string? Data { get; private set; }
}

public enum DisputeReason
{
    KeyInvalid,
    KeyAlreadyUsed,
    WrongRegionOrPlatform,
    NotReceived,
    PaidButNotDelivered,
    Other,
}

public enum DisputeStatus
{
    /// <summary>The seller has until <see cref="Dispute.SellerRespondBy"/> to replace, refund or contest.</summary>
    AwaitingSeller,
    /// <summary>A moderator decides.</summary>
    Escalated,
    Resolved,
}

public enum DisputeResolution
{
    Replaced,
    Refunded,
    Withdrawn,
    ForBuyer,
    ForSeller,
}

public enum DisputeParty
{
    Buyer,
    Seller,
    Moderator,
    System,
}

public enum DisputeEventType
{
    Opened,
    Message,
    Contested,
    Escalated,
    Resolved,
    Refunded,
    Replaced,
    Released,
    RemedyOverdue,
}
