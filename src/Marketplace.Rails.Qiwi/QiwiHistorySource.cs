using Marketplace.Application.Payments.Rails;
using Microsoft.Extensions.Options;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// One history request per call (contract §3.1): <c>operation=IN</c>, the range in Moscow time, QIWI's
/// paging cursor carried as the continuation. Rows come newest first; the row the cursor names starts
/// the next page, so pages may overlap by a row (callers de-duplicate by transaction id).
/// </summary>
public sealed class QiwiHistorySource(IQiwiWalletApi api, IOptions<QiwiOptions> options) : IIncomingHistorySource
{
    public PaymentMethodId Method => QiwiRail.Method;

    public TimeSpan Resolution => TimeSpan.FromSeconds(1);

    public async Task<HistoryPage> ReadPageAsync(
        WalletCredentials credentials, HistoryRange range, string? continuation, CancellationToken cancellationToken)
    {
        if (range.From > range.To) throw new ArgumentException("The range ends before it starts.", nameof(range));
        long? nextId = null;
        string? nextDate = null;
        if (continuation is not null)
        {
            if (!QiwiHistoryContinuation.TryParse(continuation, out var id, out var date))
                throw new PaymentRailException(PaymentRailErrorKind.Rejected, "The history continuation is not one this rail issued.");
            (nextId, nextDate) = (id, date);
        }

        var personId = QiwiAccountNumber.ToPersonId(credentials.Account);
        var page = await QiwiCalls.FindAsync(ct => api.GetPaymentsAsync(
            credentials.Token, personId, options.Value.HistoryPageSize, "IN", QiwiDates.Format(range.From), QiwiDates.Format(range.To),
            nextId, nextDate, cancellationToken: ct), cancellationToken);

        // QIWI answers 404 when no payment matches the filter: an empty range, read to its start.
        if (page is null) return new HistoryPage([], null);

        var transfers = page.Data.Where(t => t.Type == "IN").Select(QiwiTransfers.ToObserved).ToList();
        var next = page.NextTxnId is { } nextTxnId && page.NextTxnDate is { } nextTxnDate
            ? QiwiHistoryContinuation.Format(nextTxnId, nextTxnDate)
            : null;
        return new HistoryPage(transfers, next);
    }
}
