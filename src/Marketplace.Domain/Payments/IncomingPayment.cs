using Marketplace.Domain.Common;

namespace Marketplace.Domain.Payments;

/// <summary>
/// One incoming transfer read from a seller's wallet, recorded once: the pair (Provider,
/// ProviderTransactionId) is unique in the database, so a transfer can count toward at most one
/// order. Every final successful transfer the matcher reads is recorded, matched or not: this is
/// the seller's reconciliation view and, for transfers that need a decision, the inbox.
/// </summary>
public sealed class IncomingPayment
{
    public const int MaxRawLength = 8192;
    public const int MaxNoteLength = 500;

    private IncomingPayment() { }

    /// <summary>A transfer not (yet) tied to an order: <see cref="PaymentOutcome.Unmatched"/> or <see cref="PaymentOutcome.Ambiguous"/>.</summary>
    public IncomingPayment(Guid id, string provider, Guid walletId, ObservedTransfer transfer, PaymentOutcome outcome, DateTimeOffset recordedAt)
    {
        if (outcome is not (PaymentOutcome.Unmatched or PaymentOutcome.Ambiguous))
            throw new ArgumentException("A transfer without an order is unmatched or ambiguous.", nameof(outcome));
        Id = id;
        Provider = provider;
        ProviderTransactionId = transfer.TransactionId;
        WalletId = walletId;
        Amount = transfer.Amount;
        PayerAmount = transfer.PayerAmount;
        Currency = transfer.Currency is { Length: 3 } currency ? currency : "";
        Comment = transfer.Comment is { Length: > 500 } text ? text[..500] : transfer.Comment;
        SenderAccount = transfer.SenderAccount is { Length: > 64 } sender ? sender[..64] : transfer.SenderAccount;
        OccurredAt = transfer.OccurredAt.ToUniversalTime();
        Raw = transfer.Raw is { Length: <= MaxRawLength } raw ? raw : null;
        Outcome = outcome;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public string Provider { get; private set; } = "";
    public string ProviderTransactionId { get; private set; } = "";
    public Guid WalletId { get; private set; }
    /// <summary>The order it was decided against; null while unmatched or ambiguous.</summary>
    public Guid? OrderId { get; private set; }
    /// <summary>What the seller's wallet was credited.</summary>
    public decimal Amount { get; private set; }
    /// <summary>What the payer was charged, fees included, when the rail reports it.</summary>
    public decimal? PayerAmount { get; private set; }
    public string Currency { get; private set; } = "";
    public string? Comment { get; private set; }
    public string? SenderAccount { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    /// <summary>The provider's own record (JSON), evidence for disputes.</summary>
    public string? Raw { get; private set; }
    public PaymentOutcome Outcome { get; private set; }
    public PaymentSource Source { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    /// <summary>Set when the seller closed an inbox entry (refunded outside, not a sale, ...).</summary>
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolutionNote { get; private set; }
    /// <summary>
    /// Optimistic concurrency token: two requests deciding the same inbox transfer for two different
    /// orders (a claim and an attachment, two claims) each lock their own order; this makes the second
    /// save fail instead of counting one transfer twice.
    /// </summary>
    public int Version { get; private set; }

    public bool WaitsForSeller => Outcome.NeedsSeller() && ResolvedAt is null;

    /// <summary>Called by the order that decided this transfer; an already counted transfer never moves to another order.</summary>
    internal void DecidedBy(Guid orderId, PaymentOutcome outcome, PaymentSource source)
    {
        if (OrderId is { } current && current != orderId && Outcome.Counts())
            throw new DomainException("payment.already_counted", "This transfer already counts toward another order.");
        OrderId = orderId;
        Outcome = outcome;
        Source = source;
        Version++;
    }

    /// <summary>
    /// Whether a seller may attach this transfer to an order (or a buyer claim it): it waits in the inbox
    /// and nothing about it speaks against another order (a wrong currency stays wrong; a duplicate is
    /// already the surplus of the order it paid twice).
    /// </summary>
    public bool CanBeAttached => WaitsForSeller
                                 && Outcome is PaymentOutcome.Unmatched or PaymentOutcome.Ambiguous or PaymentOutcome.BeforeOrder or PaymentOutcome.TooLate;

    /// <summary>The transfer as it was observed, for deciding it again (an attachment or a claim).</summary>
    public ObservedTransfer AsObserved() =>
        new(ProviderTransactionId, OccurredAt, Amount, Currency.Length == 0 ? null : Currency, TransferStatus.Succeeded, Comment, SenderAccount, PayerAmount, Raw);

    public void Resolve(string note, DateTimeOffset at)
    {
        if (!WaitsForSeller)
            throw new DomainException("payment.not_in_inbox", "Only a transfer waiting in the inbox can be resolved.");
        ResolvedAt = at;
        ResolutionNote = note.Length > MaxNoteLength ? note[..MaxNoteLength] : note;
        Version++;
    }
}
