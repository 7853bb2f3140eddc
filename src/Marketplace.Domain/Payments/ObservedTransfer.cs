namespace Marketplace.Domain.Payments;

/// <summary>
/// An incoming transfer as read from a wallet's payment history, already translated from the
/// rail's wire format. The rail adapter guarantees <see cref="Currency"/> is ISO alphabetic
/// (or null when the rail reported a currency we do not know).
/// </summary>
public sealed record ObservedTransfer(
    string TransactionId,
    DateTimeOffset OccurredAt,
    decimal Amount,
    string? Currency,
    TransferStatus Status,
    string? Comment,
    string? SenderAccount);

public enum TransferStatus
{
    Pending = 0,
    Succeeded = 1,
    Failed = 2,
}
