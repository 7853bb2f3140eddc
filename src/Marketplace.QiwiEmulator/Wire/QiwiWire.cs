using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.QiwiEmulator.State;

namespace Marketplace.QiwiEmulator.Wire;

/// <summary>
/// What the emulator writes, shaped as QIWI wrote it (contract §2-§6): the current nested history
/// shape, numeric currencies on history and balances, string currencies on sinap calls, dates with
/// explicit offsets and no fraction. These types are the emulator's own, independent of our client.
/// </summary>
public static class QiwiWire
{
    public static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Date(DateTimeOffset value, TimeSpan offset) =>
        value.ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static object Transaction(EmulatorTransaction t, TimeSpan offset) => new
    {
        txnId = t.TxnId,
        personId = t.PersonId,
        date = Date(t.Date, offset),
        errorCode = t.ErrorCode,
        error = t.Error,
        status = t.Status,
        type = t.Type,
        statusText = t.Status switch { "SUCCESS" => "Success", "WAITING" => "Processing", _ => "Error" },
        trmTxnId = t.TrmTxnId ?? t.TxnId.ToString(CultureInfo.InvariantCulture),
        account = t.Account,
        sum = Money(t.Amount, t.Currency),
        commission = Money(t.Commission, t.Currency),
        total = Money(t.Amount + t.Commission, t.Currency),
        provider = Provider(t.ProviderId),
        source = Provider(t.SourceId),
        comment = t.Comment,
        currencyRate = 1,
        paymentExtras = Array.Empty<object>(),
        features = new
        {
            chequeReady = false, bankDocumentReady = false, regularPaymentEnabled = false, bankDocumentAvailable = false,
            repeatPaymentEnabled = false, favoritePaymentEnabled = false, chatAvailable = false, greetingCardAttached = false,
        },
        serviceExtras = new { },
        view = new { title = ProviderTitle(t.ProviderId), account = t.Account },
    };

    public static object Money(decimal amount, int currency) => new { amount, currency };

    public static object SinapMoney(decimal amount) => new { amount, currency = "643" };

    private static object Provider(int id) => new
    {
        id,
        shortName = ProviderTitle(id),
        longName = ProviderTitle(id),
        logoUrl = (string?)null,
        description = (string?)null,
        keys = "",
        siteUrl = (string?)null,
        extras = Array.Empty<object>(),
    };

    private static string ProviderTitle(int id) => id switch
    {
        7 => "QIWI Wallet",
        99 => "Transfer to QIWI Wallet",
        _ => "Provider " + id.ToString(CultureInfo.InvariantCulture),
    };
}
