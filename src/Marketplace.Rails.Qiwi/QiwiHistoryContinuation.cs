using System.Globalization;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// QIWI's paging cursor (§3.1: <c>nextTxnId</c> with <c>nextTxnDate</c>) as one opaque string,
/// "txnId|date" with the date in Moscow time, e.g. <c>9103121|2017-05-11T12:35:23+03:00</c>.
/// </summary>
internal static class QiwiHistoryContinuation
{
    public static string Format(long nextTxnId, DateTimeOffset nextTxnDate) =>
        nextTxnId.ToString(CultureInfo.InvariantCulture) + "|" + QiwiDates.Format(nextTxnDate);

    public static bool TryParse(string text, out long nextTxnId, out string nextTxnDate)
    {
        nextTxnId = 0;
        nextTxnDate = "";
        var separator = text.IndexOf('|', StringComparison.Ordinal);
        if (separator <= 0
            || !long.TryParse(text.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out nextTxnId)
            || !DateTimeOffset.TryParseExact(text.AsSpan(separator + 1), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var date))
            return false;
        nextTxnDate = QiwiDates.Format(date);
        return true;
    }
}
