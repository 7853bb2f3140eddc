using Marketplace.Domain.Common;
using Marketplace.Domain.Orders.Events;
using Marketplace.Domain.Payments;

namespace Marketplace.Domain.Orders;

/// <summary>
/// An order is a state machine (docs/payment-matching.md has the diagram). It owns its payments:
/// every transfer tied to it goes through <see cref="RecordPayment"/>, which keeps the running paid
/// total and decides the next state. Each transition is appended to <see cref="History"/> and raises
/// a domain event whose handlers move the stock; <see cref="Version"/> is an optimistic concurrency
/// token, so the matcher, the expiry job and the buyer's cancellation can never both win.
/// </summary>
public sealed class Order : IHasDomainEvents
{
    private readonly List<OrderHistoryEntry> _history = [];
    private readonly List<IDomainEvent> _events = [];

    private Order() { }

    public Order(
        Guid id, Guid buyerId, Guid sellerId, Guid listingId, PaymentDestination destination, int quantity,
        Money unitPrice, string paymentComment, DateTimeOffset createdAt, TimeSpan paymentWindow, int protectionHours = 72)
    {
        if (protectionHours <= 0) throw new DomainException("order.protection_hours", "Protection window must be positive.");
        if (quantity <= 0) throw new DomainException("order.quantity", "Quantity must be positive.");
        if (buyerId == sellerId) throw new DomainException("order.own_listing", "You cannot buy your own listing.");
        Id = id;
        BuyerId = buyerId;
        SellerId = sellerId;
        ListingId = listingId;
        WalletId = destination.WalletId;
        PaymentProvider = destination.Provider;
        PaymentAccount = destination.Account;
        Sandbox = destination.Sandbox;
        Quantity = quantity;
        UnitPrice = unitPrice.Amount;
        var total = unitPrice.Times(quantity);
        TotalAmount = total.Amount;
        Currency = total.Currency;
        PaymentComment = paymentComment;
        CreatedAt = createdAt;
        ExpiresAt = createdAt + paymentWindow;
        ProtectionHours = protectionHours;
        Status = OrderStatus.AwaitingPayment;
        _history.Add(new OrderHistoryEntry(Guid.NewGuid(), id, null, Status, createdAt, "Order placed"));
        _events.Add(new OrderPlaced(id, createdAt));
    }

    public Guid Id { get; private set; }
    public Guid BuyerId { get; private set; }
    public Guid SellerId { get; private set; }
    public Guid ListingId { get; private set; }
    public Guid WalletId { get; private set; }
    /// <summary>Snapshot of where the buyer was told to pay, kept even if the wallet changes later.</summary>
    public string PaymentProvider { get; private set; } = "";
    public string PaymentAccount { get; private set; } = "";
    /// <summary>Paid through an emulated wallet (copied from the wallet): the buyer's money is not real.</summary>
    public bool Sandbox { get; private set; }
    public int Quantity { get; private set; }
    public decimal UnitPrice { get; private set; }
    public decimal TotalAmount { get; private set; }
    public string Currency { get; private set; } = "";
    /// <summary>Upper-case unique code the buyer must put in the transfer's comment.</summary>
    public string PaymentComment { get; private set; } = "";
    public OrderStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    /// <summary>When the transfer that covered the total was made.</summary>
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public DateTimeOffset? ExpiredAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    /// <summary>The transfer that completed the payment.</summary>
    public Guid? PaymentId { get; private set; }
    /// <summary>Sum of every transfer counted toward this order, in <see cref="Currency"/>.</summary>
    public decimal PaidAmount { get; private set; }
    /// <summary>Paid beyond the total (one transfer too big, or paid twice): owed back to the buyer.</summary>
    public decimal SurplusAmount { get; private set; }
    /// <summary>The total was covered only after the deadline.</summary>
    public bool PaidLate { get; private set; }
    /// <summary>The not-yet-final transfer that put the order in <see cref="OrderStatus.PaymentProcessing"/>.</summary>
    public string? PendingTransactionId { get; private set; }
    /// <summary>The listing's protection window when the order was placed (a later change of the listing does not move it).</summary>
    public int ProtectionHours { get; private set; }
    /// <summary>Until when the buyer may open a dispute about the delivered goods; the order completes by itself after it.</summary>
    public DateTimeOffset? ProtectionEndsAt { get; private set; }
    /// <summary>The buyer confirmed receipt, the protection window ended, or a moderator decided: no dispute can be opened any more.</summary>
    public DateTimeOffset? CompletedAt { get; private set; }
    /// <summary>Verified refunds (transfers from the seller's wallet back to the buyer); never more than <see cref="PaidAmount"/>.</summary>
    public decimal RefundedAmount { get; private set; }
    /// <summary>The dispute being worked on; it holds the order open (no auto-completion) and is the only one at a time.</summary>
    public Guid? OpenDisputeId { get; private set; }
    public int Version { get; private set; }

    public Money Total => new(TotalAmount, Currency);
    public decimal AmountDue => Math.Max(0m, TotalAmount - PaidAmount);
    public IReadOnlyList<OrderHistoryEntry> History => _history;
    public IReadOnlyList<IDomainEvent> DomainEvents => _events;

    public void ClearDomainEvents() => _events.Clear();

    /// <summary>
    /// Decides a final, successful transfer tied to this order (by comment, attachment or claim) and
    /// applies it: counts it, delivers, asks for stock again, or leaves it to the seller's inbox.
    /// </summary>
    public PaymentOutcome RecordPayment(IncomingPayment payment, ObservedTransfer transfer, PaymentSource source, PaymentRules rules, DateTimeOffset now)
    {
        if (payment.ProviderTransactionId != transfer.TransactionId)
            throw new ArgumentException("The payment record and the transfer differ.", nameof(payment));
        var outcome = PaymentMatchingPolicy.Decide(this, transfer, source, rules);
        payment.DecidedBy(Id, outcome, source);
        var txn = transfer.TransactionId;
        var amount = $"{transfer.Amount:0.00} {transfer.Currency ?? "?"}";
        var settlesHold = PendingTransactionId == txn;
        if (settlesHold) PendingTransactionId = null;

        if (!outcome.Counts() && settlesHold && Status == OrderStatus.PaymentProcessing)
            MoveTo(PaidAmount > 0 ? OrderStatus.PartiallyPaid : OrderStatus.AwaitingPayment, now,
                "The transfer being processed did not count toward the order", "payment.hold_released", txn);

        switch (outcome)
        {
            case PaymentOutcome.WrongCurrency:
                Note(now, $"Transfer of {amount} not counted: the order is priced in {Currency}", "payment.wrong_currency", txn);
                return outcome;
            case PaymentOutcome.BeforeOrder:
                Note(now, $"Transfer of {amount} not counted: it was made before the order was placed", "payment.before_order", txn);
                return outcome;
            case PaymentOutcome.TooLate:
                Note(now, $"Transfer of {amount} not counted: it came after the deadline and the monitoring window", "payment.too_late", txn);
                return outcome;
            case PaymentOutcome.Duplicate:
                SurplusAmount += transfer.Amount;
                Note(now, $"Transfer of {amount} came after the order was already paid: surplus owed back to the buyer", "payment.duplicate", txn);
                return outcome;
            case PaymentOutcome.OrderCancelled:
                PaidAmount += transfer.Amount;
                OweRefundFor($"Transfer of {amount} came for a cancelled order: the seller owes a refund", "payment.after_cancel", txn, now);
                return outcome;
        }

        // Accepted, Partial or Late: the money counts.
        PaidAmount += transfer.Amount;
        var covered = PaidAmount >= TotalAmount;
        var late = outcome == PaymentOutcome.Late;
        if (covered)
        {
            PaidAt = transfer.OccurredAt.ToUniversalTime();
            PaymentId = payment.Id;
            PaidLate = late;
            SurplusAmount += PaidAmount - TotalAmount;
            if (Status.HoldsStock())
            {
                Deliver(now, late ? "Paid late (inside the monitoring window); items released" : "Payment matched; items released",
                    late ? "payment.late_fulfilled" : PaidAmount > transfer.Amount ? "payment.split_completed" : "payment.exact", txn);
            }
            else if (Status == OrderStatus.RefundDue)
            {
                // Once a refund is owed, the seller may already have paid it back outside the service:
                // new money adds to what is owed, it never turns the order into a sale by itself.
                OweRefundFor($"Transfer of {amount} counted toward the refund owed", "payment.refund_due_topped_up", txn, now);
            }
            else
            {
                // Its items went back to stock (expired, unverifiable, refund due): they must be reserved again.
                Note(now, $"Transfer of {amount} covers the total after the items went back to stock; reserving again", "payment.needs_stock", txn);
                _events.Add(new OrderNeedsStock(Id, now));
            }

            return outcome;
        }

        // Another transfer for this order is still being processed: it may complete the total, so the hold stays.
        if (PendingTransactionId is not null && Status == OrderStatus.PaymentProcessing)
        {
            Note(now, $"Transfer of {amount} counted; {AmountDue:0.00} {Currency} still due, another transfer is being processed",
                late ? "payment.late_partial_held" : "payment.partial", txn);
            return outcome;
        }

        if (late || !Status.HoldsStock())
        {
            OweRefundFor($"Transfer of {amount} counted, {AmountDue:0.00} {Currency} still missing after the deadline: the seller owes a refund",
                "payment.late_partial", txn, now);
            return outcome;
        }

        MoveTo(OrderStatus.PartiallyPaid, now, $"Transfer of {amount} counted; {AmountDue:0.00} {Currency} still due before the deadline",
            "payment.partial", txn);
        _events.Add(new OrderPartiallyPaid(Id, now));
        return outcome;
    }

    /// <summary>
    /// The wallet shows a not-yet-final transfer naming this order: it holds the order (no expiry)
    /// until it succeeds or fails. Only for an order still holding its items and in the right currency.
    /// </summary>
    public bool RecordPendingPayment(ObservedTransfer transfer, PaymentRules rules, DateTimeOffset now)
    {
        // One transfer holds the order at a time; a second one in flight is looked at when the first settles.
        if (!Status.HoldsStock() || PendingTransactionId is not null) return false;
        if (!string.Equals(transfer.Currency, Currency, StringComparison.Ordinal)) return false;
        if (transfer.OccurredAt < CreatedAt - rules.ClockSkew || transfer.OccurredAt > ExpiresAt) return false;
        PendingTransactionId = transfer.TransactionId;
        MoveTo(OrderStatus.PaymentProcessing, now, $"A transfer of {transfer.Amount:0.00} {transfer.Currency} is being processed by the wallet",
            "payment.processing", transfer.TransactionId);
        _events.Add(new OrderPaymentProcessing(Id, now));
        return true;
    }

    /// <summary>The pending transfer failed: back to waiting (or partly paid), the deadline unchanged.</summary>
    public bool RecordFailedPayment(string transactionId, DateTimeOffset now) =>
        ReleaseHold(transactionId, now, "The wallet reported the transfer as failed: no money moved", "payment.failed");

    /// <summary>
    /// The transfer stayed pending for longer than anyone should wait (the monitoring window): the order
    /// stops waiting for it and settles like any other. The matcher stops looking at it too: should it
    /// succeed after that, only a catch-up read (a reconnect, a restart) brings it to the seller's inbox.
    /// </summary>
    public bool AbandonPendingPayment(string transactionId, DateTimeOffset now) =>
        ReleaseHold(transactionId, now, "The transfer stayed in processing too long; the order no longer waits for it", "payment.pending_abandoned");

    private bool ReleaseHold(string transactionId, DateTimeOffset now, string reason, string rule)
    {
        if (Status != OrderStatus.PaymentProcessing || PendingTransactionId != transactionId) return false;
        PendingTransactionId = null;
        MoveTo(PaidAmount > 0 ? OrderStatus.PartiallyPaid : OrderStatus.AwaitingPayment, now, reason, rule, transactionId);
        return true;
    }

    /// <summary>Stock was reserved again for an order whose payment came after its items went back: deliver.</summary>
    public void FulfilAfterRestock(DateTimeOffset now)
    {
        if (Status.HoldsStock() || Status == OrderStatus.Delivered || PaidAmount < TotalAmount || CancelledAt is not null)
            throw new DomainException("order.invalid_transition", $"Cannot fulfil an order that is {Status}.");
        Deliver(now, PaidLate ? "Paid late; items reserved again and released" : "Payment found after the items went back to stock; reserved again and released",
            "payment.restocked");
    }

    /// <summary>Stock could not be reserved again: the buyer paid for nothing, the seller owes a refund.</summary>
    public void OweRefund(DateTimeOffset now, string reason)
    {
        if (Status is OrderStatus.Delivered or OrderStatus.RefundDue || PaidAmount == 0) return;
        if (Status.HoldsStock())
            throw new DomainException("order.invalid_transition", "An order holding items is refunded through its deadline.");
        OweRefundFor(reason, "payment.no_stock", null, now);
    }

    /// <summary>
    /// The deadline passed with the wallet read past it: unpaid orders expire; partly paid ones owe the
    /// buyer a refund. Either way the items go back to stock.
    /// </summary>
    public void Expire(DateTimeOffset now)
    {
        if (Status is not (OrderStatus.AwaitingPayment or OrderStatus.PartiallyPaid))
            throw new DomainException("order.invalid_transition", $"Cannot expire an order that is {Status}.");
        if (now < ExpiresAt) throw new DomainException("order.not_due", "Order has not reached its payment deadline.");
        if (PaidAmount >= TotalAmount)
        {
            // Paid in full while still holding its items (records from before the split-payment rules): a sale.
            Deliver(now, "Paid in full before the deadline; items released", "order.deadline_paid");
            return;
        }

        ExpiredAt = now;
        if (PaidAmount > 0)
        {
            MoveTo(OrderStatus.RefundDue, now, $"Deadline passed with {PaidAmount:0.00} of {TotalAmount:0.00} {Currency} paid: the seller owes a refund",
                "order.deadline_partial");
            _events.Add(new OrderRefundDue(Id, true, now));
            return;
        }

        MoveTo(OrderStatus.Expired, now, "No payment before the deadline; items returned to stock", "order.deadline");
        _events.Add(new OrderExpired(Id, now));
    }

    /// <summary>
    /// The seller's wallet could not be read for longer than the hold limit, so nobody can tell whether
    /// the buyer paid: the items go back to stock. A payment found later follows the late-payment rule.
    /// </summary>
    public void MarkUnverifiable(DateTimeOffset now, string reason)
    {
        if (!Status.HoldsStock())
            throw new DomainException("order.invalid_transition", $"Cannot give up on an order that is {Status}.");
        PendingTransactionId = null;
        if (PaidAmount > 0)
        {
            // Part of the money is known to have arrived: that part is owed back whatever the rest did.
            OweRefundFor($"{reason} {PaidAmount:0.00} {Currency} had already been paid: the seller owes a refund", "wallet.unreadable_partial", null, now);
            return;
        }

        MoveTo(OrderStatus.Unverifiable, now, reason, "wallet.unreadable");
        _events.Add(new OrderBecameUnverifiable(Id, now));
    }

    /// <summary>
    /// The buyer gives up an unpaid order; its items go back to stock. A transfer made anyway is
    /// still recorded by the matcher and makes the order <see cref="OrderStatus.RefundDue"/>.
    /// </summary>
    public void Cancel(DateTimeOffset now)
    {
        if (Status != OrderStatus.AwaitingPayment || PaidAmount > 0)
            throw new DomainException("order.invalid_transition", $"Cannot cancel an order that is {Status} with {PaidAmount:0.00} paid.");
        CancelledAt = now;
        MoveTo(OrderStatus.Cancelled, now, "Cancelled by the buyer; items returned to stock", "order.cancelled");
        _events.Add(new OrderCancelled(Id, now));
    }

    /// <summary>The buyer says the goods work: the order completes and can no longer be disputed.</summary>
    public void ConfirmReceipt(DateTimeOffset now)
    {
        EnsureCompletable();
        Complete(now, "The buyer confirmed receipt", "order.confirmed");
    }

    /// <summary>The protection window ended with no dispute open: the order completes by itself.</summary>
    public bool CompleteAfterProtection(DateTimeOffset now)
    {
        if (Status != OrderStatus.Delivered || CompletedAt is not null || OpenDisputeId is not null || ProtectionEndsAt > now) return false;
        Complete(now, "The protection window ended with no dispute; the order is complete", "order.protection_ended");
        return true;
    }

    /// <summary>
    /// Whether the buyer may open a dispute now: about delivered goods inside the protection window, or
    /// at any time about money paid for nothing (RefundDue, PartiallyPaid, Unverifiable). One at a time.
    /// </summary>
    public void OpenDispute(Guid disputeId, DateTimeOffset now, string reason)
    {
        if (OpenDisputeId is not null) throw new DomainException("dispute.already_open", "This order already has an open dispute.");
        var aboutGoods = Status == OrderStatus.Delivered && CompletedAt is null && ProtectionEndsAt > now;
        // Money still owed back (a fully refunded order has nothing left to dispute); Unverifiable: the
        // service could not see the payment, so the buyer's word starts the dispute.
        var aboutMoney = (Status is OrderStatus.RefundDue or OrderStatus.PartiallyPaid && PaidAmount > RefundedAmount)
                         || Status == OrderStatus.Unverifiable;
        if (!aboutGoods && !aboutMoney)
            throw new DomainException("dispute.not_allowed", Status == OrderStatus.Delivered
                ? "The order is complete or its protection window has ended; it can no longer be disputed."
                : $"An order that is {Status} cannot be disputed.");
        OpenDisputeId = disputeId;
        Note(now, $"The buyer opened a dispute: {reason}", "dispute.opened", null);
    }

    /// <summary>The dispute ended (resolved or withdrawn): auto-completion applies again, or the decision completes the order.</summary>
    public void CloseDispute(Guid disputeId, DateTimeOffset now, string outcome, bool complete)
    {
        if (OpenDisputeId != disputeId) throw new DomainException("dispute.not_open", "This dispute is not the order's open dispute.");
        OpenDisputeId = null;
        if (complete && Status == OrderStatus.Delivered && CompletedAt is null) Complete(now, $"Dispute closed: {outcome}; the order is complete", "dispute.closed");
        else Note(now, $"Dispute closed: {outcome}", "dispute.closed", null);
    }

    /// <summary>
    /// A refund the seller made, verified in the wallet's history. Partial refunds add up; the total
    /// never exceeds what was paid. Returns true when everything paid has been refunded.
    /// </summary>
    public bool RecordRefund(string transactionId, decimal amount, DateTimeOffset now)
    {
        if (amount <= 0) throw new DomainException("refund.amount", "A refund must be a positive amount.");
        if (RefundedAmount + amount > PaidAmount)
            throw new DomainException("refund.exceeds_paid",
                $"A refund of {amount:0.00} {Currency} would bring the refunded total above the {PaidAmount:0.00} {Currency} paid ({RefundedAmount:0.00} refunded so far).");
        RefundedAmount += amount;
        var full = RefundedAmount == PaidAmount;
        Note(now, full
                ? $"Refund of {amount:0.00} {Currency} verified; everything paid ({PaidAmount:0.00} {Currency}) has been refunded"
                : $"Refund of {amount:0.00} {Currency} verified; {RefundedAmount:0.00} of {PaidAmount:0.00} {Currency} refunded",
            full ? "refund.full" : "refund.partial", transactionId);
        return full;
    }

    /// <summary>A moderator decided for the buyer: the order stays held by the dispute until the seller refunds or replaces.</summary>
    public void HoldForRemedy(Guid disputeId, DateTimeOffset now)
    {
        if (OpenDisputeId != disputeId) throw new DomainException("dispute.not_open", "This dispute is not the order's open dispute.");
        Note(now, "Dispute decided for the buyer: the seller owes a refund or a replacement; the order stays open until then", "dispute.decided_for_buyer", null);
    }

    /// <summary>The seller delivered replacement goods during a dispute (recorded in the history, the item itself is not).</summary>
    public void RecordReplacement(Guid disputeId, DateTimeOffset now)
    {
        if (OpenDisputeId != disputeId || Status != OrderStatus.Delivered)
            throw new DomainException("dispute.not_open", "Goods can be replaced only for a delivered order with this dispute open.");
        // The buyer gets a full protection window to try the replacement too.
        var fresh = now + TimeSpan.FromHours(ProtectionHours);
        if (ProtectionEndsAt is null || ProtectionEndsAt < fresh) ProtectionEndsAt = fresh;
        Note(now, "The seller delivered a replacement item; the protection window starts again", "dispute.replaced", null);
    }

    private void EnsureCompletable()
    {
        if (Status != OrderStatus.Delivered) throw new DomainException("order.invalid_transition", $"An order that is {Status} cannot be completed.");
        if (CompletedAt is not null) throw new DomainException("order.invalid_transition", "The order is already complete.");
        if (OpenDisputeId is not null) throw new DomainException("order.dispute_open", "The order has an open dispute.");
    }

    private void Complete(DateTimeOffset now, string reason, string rule)
    {
        CompletedAt = now;
        Note(now, reason, rule, null);
    }

    /// <summary>Moves to RefundDue (returning the items if it held them); already there, only notes the new money.</summary>
    private void OweRefundFor(string reason, string rule, string? transactionId, DateTimeOffset now)
    {
        if (Status == OrderStatus.RefundDue)
        {
            Note(now, reason, rule, transactionId);
            return;
        }

        var releases = Status.HoldsStock();
        MoveTo(OrderStatus.RefundDue, now, reason, rule, transactionId);
        _events.Add(new OrderRefundDue(Id, releases, now));
    }

    private void Deliver(DateTimeOffset now, string reason, string rule, string? transactionId = null)
    {
        PendingTransactionId = null; // a transfer still in flight becomes a duplicate if it completes
        DeliveredAt = now;
        ProtectionEndsAt = now + TimeSpan.FromHours(ProtectionHours);
        MoveTo(OrderStatus.Delivered, now, reason, rule, transactionId);
        _events.Add(new OrderPaid(Id, PaidLate, now));
    }

    private void Note(DateTimeOffset at, string reason, string rule, string? transactionId)
    {
        _history.Add(new OrderHistoryEntry(Guid.NewGuid(), Id, Status, Status, at, reason, rule, transactionId));
        Version++;
    }

    private void MoveTo(OrderStatus next, DateTimeOffset at, string reason, string rule, string? transactionId = null)
    {
        _history.Add(new OrderHistoryEntry(Guid.NewGuid(), Id, Status, next, at, reason, rule, transactionId));
        Status = next;
        Version++;
    }
}

/// <summary>The seller's wallet an order is paid into.</summary>
public sealed record PaymentDestination(Guid WalletId, string Provider, string Account, bool Sandbox);
