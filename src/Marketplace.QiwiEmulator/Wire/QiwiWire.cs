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
            chequeReady = t.Status == "SUCCESS", bankDocumentReady = false, regularPaymentEnabled = false, bankDocumentAvailable = false,
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

    private static string ProviderTitle(int id) =>
        Catalog.TryGetValue(id, out var entry) ? entry.ShortName : "Provider " + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The providers the emulator knows (it pays all but 7, the wallet itself as a source, and 1717).</summary>
    public static readonly IReadOnlyDictionary<int, (string ShortName, string LongName, bool HasForm)> Catalog =
        new Dictionary<int, (string, string, bool)>
        {
            [7] = ("QIWI Wallet", "QIWI Wallet", false),
            [99] = ("Transfer to QIWI Wallet", "Transfer to QIWI Wallet", true),
            [99999] = ("Transfer to QIWI Wallet by nickname", "Transfer to QIWI Wallet by nickname", true),
            [1] = ("MTS", "MTS", true),
            [2] = ("Beeline", "Beeline", true),
            [3] = ("MegaFon", "MegaFon", true),
            [42] = ("Tele2", "Tele2", true),
            [25598] = ("Yota", "Yota", true),
            [1963] = ("Visa (Russian banks)", "Transfer to a Visa card issued by a Russian bank", true),
            [21013] = ("MasterCard (Russian banks)", "Transfer to a MasterCard card issued by a Russian bank", true),
            [31652] = ("MIR", "Transfer to a MIR card", true),
            [22351] = ("QIWI Virtual Card", "Transfer to a QIWI virtual card", true),
            [1717] = ("Payment by bank details", "Payment by bank details", true),
        };

    /// <summary>A provider-catalogue entry (contract §6.5), or null for an unknown id.</summary>
    public static object? CatalogEntry(int id) => Catalog.TryGetValue(id, out var entry)
        ? new
        {
            type = "PROVIDER",
            id,
            shortName = entry.ShortName,
            longName = entry.LongName,
            logoUrl = $"https://static.qiwi.com/img/providers/logoBig/{id.ToString(CultureInfo.InvariantCulture)}_l.png",
            keys = entry.ShortName.ToLowerInvariant(),
            hasPaymentForm = entry.HasForm,
            siteUrl = (string?)null,
            searchAvailable = entry.HasForm,
            description = (string?)null,
            extras = Array.Empty<object>(),
        }
        : null;
}
