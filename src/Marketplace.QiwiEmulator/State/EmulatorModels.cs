namespace Marketplace.QiwiEmulator.State;

public sealed class EmulatorWallet(long personId, DateTimeOffset createdAt)
{
    public long PersonId { get; } = personId;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    /// <summary>Balance per ISO numeric currency, in exact decimals.</summary>
    public Dictionary<int, decimal> Balances { get; } = new() { [643] = 0m };
    public List<EmulatorTransaction> History { get; } = [];
    /// <summary>Completed sinap payments by client id: the idempotency record.</summary>
    public Dictionary<string, EmulatorPayment> PaymentsByClientId { get; } = new(StringComparer.Ordinal);
    public Queue<DateTimeOffset> RecentHistoryRequests { get; } = new();
    public DateTimeOffset? HistoryBlockedUntil { get; set; }

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
}

public sealed record EmulatorPayment(string ClientId, long TxnId, string Recipient, decimal Amount, string? Comment);
