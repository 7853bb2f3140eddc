namespace Marketplace.Domain.Payments;

/// <summary>
/// A transfer out of a seller's wallet as the wallet reports it: what a refund is checked against
/// (it must exist, be final, go to the wallet the buyer paid from, in the order's currency).
/// </summary>
public sealed record OutgoingTransfer(
    string TransactionId,
    DateTimeOffset OccurredAt,
    decimal Amount,
    string? Currency,
    TransferStatus Status,
    string? RecipientAccount,
    string? Raw = null);
