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
