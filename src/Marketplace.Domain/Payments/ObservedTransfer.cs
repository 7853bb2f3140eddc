namespace Marketplace.Domain.Payments;

/// <summary>
/// An incoming transfer as a wallet reports it, already translated from the rail's wire format by
/// the rail's source. The rail guarantees <see cref="Currency"/> is ISO alphabetic (or null when it
/// reported a currency we do not know).
/// </summary>
/// <param name="Amount">What the receiving wallet was credited: the figure matching compares with the order total.</param>
/// <param name="PayerAmount">What the payer was charged, fees included, when the rail says (QIWI: <c>total</c>); shown, never matched on.</param>
/// <param name="Raw">The provider's own record of the transfer (JSON), kept as evidence; at most a few KiB.</param>
public sealed record ObservedTransfer(
    string TransactionId,
    DateTimeOffset OccurredAt,
    decimal Amount,
    string? Currency,
    TransferStatus Status,
    string? Comment,
    string? SenderAccount,
    decimal? PayerAmount = null,
    string? Raw = null);

public enum TransferStatus
{
    Pending = 0,
    Succeeded = 1,
    Failed = 2,
}
