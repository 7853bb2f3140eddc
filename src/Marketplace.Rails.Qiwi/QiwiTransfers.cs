using System.Globalization;
using System.Text;
using System.Text.Json;
using Marketplace.Domain.Payments;

namespace Marketplace.Rails.Qiwi;

/// <summary>A history row (contract §3.2) as the matcher sees it. Shared by the history source and the transfer lookup.</summary>
internal static class QiwiTransfers
{
    /// <summary>Longer evidence is not kept (a history row is about 600 bytes; only an absurd comment gets near this).</summary>
    public const int MaxRawBytes = 8 * 1024;

    public static ObservedTransfer ToObserved(QiwiTransaction item) => new(
        item.TxnId.ToString(CultureInfo.InvariantCulture),
        item.Date,
        item.Sum?.Amount ?? 0m,
        item.Sum is { } sum ? QiwiCurrencies.FromNumeric(sum.Currency) : null,
        item.Status switch
        {
            "SUCCESS" => TransferStatus.Succeeded,
            "WAITING" => TransferStatus.Pending,
            _ => TransferStatus.Failed,
        },
        item.Comment,
        QiwiAccountNumber.Normalize(item.Account) ?? item.Account,
        PayerAmount: item.Total?.Amount,
        Raw: Raw(item));

    /// <summary>The row as we read it, compact JSON in QIWI's own field names; null when too large to keep.</summary>
    private static string? Raw(QiwiTransaction item)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(item, QiwiJsonContext.Default.QiwiTransaction);
        return json.Length <= MaxRawBytes ? Encoding.UTF8.GetString(json) : null;
    }
}
