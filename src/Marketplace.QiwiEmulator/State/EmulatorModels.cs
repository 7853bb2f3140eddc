namespace Marketplace.QiwiEmulator.State;

public sealed class EmulatorWallet
{
    public required long PersonId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>The client address group that created the wallet through the admin API (for the per-caller limit).</summary>
    public string? CreatedBy { get; init; }
    /// <summary>Balance per ISO numeric currency, in exact decimals.</summary>
    public Dictionary<int, decimal> Balances { get; init; } = new() { [643] = 0m };
    public int DefaultCurrency { get; set; } = 643;
    public List<EmulatorTransaction> History { get; init; } = [];
    /// <summary>Sinap payments by client id: the idempotency record.</summary>
    public Dictionary<string, EmulatorPayment> PaymentsByClientId { get; init; } = new(StringComparer.Ordinal);
    public EmulatorHook? Hook { get; set; }
    /// <summary>The OUTGOING_PAYMENTS restriction (contract §2.2): payments from the wallet are refused while it is set.</summary>
    public bool OutgoingPaymentsRestricted { get; set; }
    /// <summary>QIWI virtual cards issued to the wallet (contract §6.6), added through the admin API.</summary>
    public List<EmulatorCard> Cards { get; init; } = [];
    /// <summary>Invoices issued to the wallet (contract §6.7), added through the admin API.</summary>
    public List<EmulatorBill> Bills { get; init; } = [];
    /// <summary>Receipts sent by e-mail (contract §3.5), newest last; only the latest few are kept.</summary>
    public List<EmulatorReceipt> SentReceipts { get; init; } = [];

    // Rate limiting is deliberately not persisted: a restart starts a fresh minute.
    [System.Text.Json.Serialization.JsonIgnore] public Queue<DateTimeOffset> RecentHistoryRequests { get; } = new();
    [System.Text.Json.Serialization.JsonIgnore] public DateTimeOffset? HistoryBlockedUntil { get; set; }

    public string Phone => "+" + PersonId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record EmulatorToken(string Value, long PersonId, PermissionGroup Groups, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public bool Revoked { get; set; }
}

public sealed class EmulatorTransaction
{
    public required long TxnId { get; init; }
    public required long PersonId { get; init; }
    public required DateTimeOffset Date { get; init; }
    public required string Type { get; init; } // IN | OUT
    public required string Status { get; set; } // WAITING | SUCCESS | ERROR
    public int ErrorCode { get; set; }
    public string? Error { get; set; }
    public required string Account { get; init; }
    public required decimal Amount { get; init; }
    public required int Currency { get; init; }
    public decimal Commission { get; init; }
    public string? Comment { get; init; }
    public string? TrmTxnId { get; init; }
    public int ProviderId { get; init; }
    public int SourceId { get; init; }
    /// <summary>For a WAITING transaction: when it settles, and into which status.</summary>
    public DateTimeOffset? SettleAt { get; set; }
    public string? SettleTo { get; set; }
}

public sealed record EmulatorPayment(string ClientId, long TxnId, int ProviderId, string Account, decimal Amount, string? Comment);

public sealed class EmulatorHook
{
    public required string HookId { get; init; }
    public required string Url { get; init; }
    /// <summary>0 incoming, 1 outgoing, 2 both (the registration's txnType).</summary>
    public required int TxnType { get; init; }
    public required string Key { get; set; }
}

/// <summary>A notification waiting to be (re)delivered, with QIWI's retry schedule.</summary>
public sealed class WebhookDelivery
{
    public required Guid MessageId { get; init; }
    /// <summary>The wallet whose hook this goes to (for the per-wallet limit).</summary>
    public long PersonId { get; init; }
    public required string Url { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset DueAt { get; set; }
    public int Attempts { get; set; }
}

/// <summary>A QIWI virtual card (qvx), as the card list reports it.</summary>
public sealed class EmulatorCard
{
    public required long Id { get; init; }
    public required string Last4 { get; init; }
    public required string Alias { get; init; }
    public required string Status { get; set; }
    /// <summary>Part of the QIWI Master package (listed under vas-alias=qvc-master).</summary>
    public bool Master { get; init; }
    public required DateTimeOffset Activated { get; init; }
    public required DateTimeOffset Expires { get; init; }
    public required long TxnId { get; init; }
}

/// <summary>An invoice issued to a wallet by a merchant; READY_FOR_PAY until paid, rejected or expired.</summary>
public sealed class EmulatorBill
{
    public required long Id { get; init; }
    public required string ExternalId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required decimal Amount { get; init; }
    public int Currency { get; init; } = 643;
    public string? Comment { get; init; }
    public required int MerchantId { get; init; }
    public required string MerchantName { get; init; }
    /// <summary>READY_FOR_PAY, PAID or REJECTED.</summary>
    public string Status { get; set; } = "READY_FOR_PAY";
    public long? TxnId { get; set; }
}

/// <summary>A receipt the wallet asked to have e-mailed.</summary>
public sealed record EmulatorReceipt(long TxnId, string Type, string Email, DateTimeOffset SentAt);
