using System.Globalization;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Payments;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// One transaction by id (contract §3.3, v2), kept only when it is a transfer of this very wallet in
/// the direction asked: incoming (claims, push confirmations) or outgoing (refunds the seller reports).
/// </summary>
public sealed class QiwiTransferLookup(IQiwiWalletApi api) : ITransferLookup, IOutgoingTransferLookup
{
    public PaymentMethodId Method => QiwiRail.Method;

    public async Task<ObservedTransfer?> FindIncomingAsync(WalletCredentials credentials, string transactionId, CancellationToken cancellationToken)
    {
        // QIWI transaction ids are positive 64-bit numbers; anything else names nothing (and is never sent).
        if (!long.TryParse(transactionId, NumberStyles.None, CultureInfo.InvariantCulture, out var txnId) || txnId <= 0) return null;

        var personId = QiwiAccountNumber.ToPersonId(credentials.Account);
        var item = await QiwiCalls.FindAsync(ct => api.GetTransactionAsync(credentials.Token, txnId, "IN", ct), cancellationToken);
        return item is { Type: "IN" } && item.PersonId == personId ? QiwiTransfers.ToObserved(item) : null;
    }

    public async Task<OutgoingTransfer?> FindOutgoingAsync(WalletCredentials credentials, string transactionId, CancellationToken cancellationToken)
    {
        if (!long.TryParse(transactionId, NumberStyles.None, CultureInfo.InvariantCulture, out var txnId) || txnId <= 0) return null;

        var personId = QiwiAccountNumber.ToPersonId(credentials.Account);
        var item = await QiwiCalls.FindAsync(ct => api.GetTransactionAsync(credentials.Token, txnId, "OUT", ct), cancellationToken);
        if (item is not { Type: "OUT" } || item.PersonId != personId) return null;
        var seen = QiwiTransfers.ToObserved(item); // for an outgoing row, "account" is the recipient
        return new OutgoingTransfer(seen.TransactionId, seen.OccurredAt, seen.Amount, seen.Currency, seen.Status, seen.SenderAccount, seen.Raw);
    }
}
