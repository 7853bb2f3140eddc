using System.Globalization;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Payments;

namespace Marketplace.Rails.Qiwi;

/// <summary>One transaction by id (contract §3.3, v2), kept only when it is an incoming transfer of this very wallet.</summary>
public sealed class QiwiTransferLookup(IQiwiWalletApi api) : ITransferLookup
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
}
