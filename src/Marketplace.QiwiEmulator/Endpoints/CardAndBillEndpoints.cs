using System.Globalization;
using System.Text.Json;
using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>
/// The wallet's virtual cards (contract §6.6: needs "virtual cards" together with groups 1, 3 and 4, as
/// QIWI documented) and the invoices issued to it (§6.7: list, pay, reject; "payments without SMS",
/// group 4, the group QIWI named for invoice payment).
/// </summary>
internal static class CardAndBillEndpoints
{
    private const string Checkout = "checkout-api";

    private const PermissionGroup CardGroups =
        PermissionGroup.VirtualCards | PermissionGroup.ProfileRead | PermissionGroup.HistoryRead | PermissionGroup.PaymentsNoSms;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/cards/v1/cards", (HttpRequest request, EmulatorState state) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), CardGroups);
            if (auth.Wallet is not { } wallet) return QiwiResponses.Denied(auth, "cards");
            var vasAlias = request.Query["vas-alias"].ToString();
            if (vasAlias.Length > 0 && vasAlias != "qvc-master") return QiwiResponses.Validation("cards", "vas-alias must be qvc-master");
            return QiwiResponses.Ok(state.Cards(wallet).Where(c => vasAlias.Length == 0 || c.Master).Select(Card));
        });

        routes.MapGet("/checkout-api/api/bill/search", (HttpRequest request, EmulatorState state) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.PaymentsNoSms);
            if (auth.Wallet is not { } wallet) return QiwiResponses.Denied(auth, Checkout);
            var query = request.Query;
            // Documented as required, but clients leave it out (node-qiwi-sdk does): READY_FOR_PAY is the only value anyway.
            if (query["statuses"].ToString() is { Length: > 0 } statuses && statuses != "READY_FOR_PAY")
                return QiwiResponses.Validation(Checkout, "statuses must be READY_FOR_PAY");
            var rows = 50;
            if (query.ContainsKey("rows") && (!int.TryParse(query["rows"], NumberStyles.None, CultureInfo.InvariantCulture, out rows) || rows is < 1 or > 50))
                return QiwiResponses.Validation(Checkout, "rows must be an integer from 1 to 50");
            if (!TryTime(query, "min_creation_datetime", out var min) || !TryTime(query, "max_creation_datetime", out var max)
                || !TryTime(query, "next_creation_datetime", out var nextDate))
                return QiwiResponses.Validation(Checkout, "Dates must be Unix time in milliseconds");
            long? nextId = null;
            if (query.ContainsKey("next_id"))
            {
                if (!long.TryParse(query["next_id"], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                    return QiwiResponses.Validation(Checkout, "next_id must be an invoice id");
                nextId = id;
            }

            var bills = state.OpenBills(wallet)
                .Where(b => (min is null || b.CreatedAt >= min) && (max is null || b.CreatedAt <= max))
                .Where(b => (nextId is null || b.Id <= nextId) && (nextDate is null || b.CreatedAt <= nextDate))
                .Take(rows);
            return QiwiResponses.Ok(new { bills = bills.Select(Bill) });
        });

        routes.MapPost("/checkout-api/invoice/pay/wallet", async (HttpRequest request, EmulatorState state) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.PaymentsNoSms);
            if (auth.Wallet is not { } wallet) return QiwiResponses.Denied(auth, Checkout);
            var body = await QiwiResponses.ReadJsonAsync(request);
            if (Id(body, "invoice_uid") is not { } billId) return QiwiResponses.Validation(Checkout, "invoice_uid must be an invoice id");
            if (Id(body, "currency") is not 643) return QiwiResponses.Validation(Checkout, "currency must be 643");
            var result = state.PayBill(wallet, billId);
            if (!result.Found) return QiwiResponses.EdgeError(404, Checkout, "invoice.not.found", "Invoice not found");
            if (result.Bill is null) return QiwiResponses.EdgeError(422, Checkout, "internal.invoicing.error", result.Error!);
            return QiwiResponses.Ok(new Dictionary<string, object>
            {
                ["invoice_status"] = "PAID_STATUS", ["is_sms_confirm"] = false, ["WALLET_ACCEPT_PAY_RESULT"] = new { },
            });
        });

        routes.MapPost("/checkout-api/api/bill/reject", async (HttpRequest request, EmulatorState state) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.PaymentsNoSms);
            if (auth.Wallet is not { } wallet) return QiwiResponses.Denied(auth, Checkout);
            var body = await QiwiResponses.ReadJsonAsync(request);
            if (Id(body, "id") is not { } billId) return QiwiResponses.Validation(Checkout, "id must be an invoice id");
            return state.RejectBill(wallet, billId)
                ? Results.Ok()
                : QiwiResponses.EdgeError(404, Checkout, "invoice.not.found", "Invoice not found");
        });
    }

    private static object Card(EmulatorCard c) => new
    {
        qvx = new
        {
            id = c.Id,
            maskedPan = "****" + c.Last4,
            status = c.Status,
            cardExpire = QiwiWire.Date(c.Expires, QiwiWire.Moscow),
            cardType = "VIRTUAL",
            cardAlias = c.Alias,
            cardLimit = (object?)null,
            activated = QiwiWire.Date(c.Activated, QiwiWire.Moscow),
            smsResended = QiwiWire.Date(c.Activated, QiwiWire.Moscow),
            postNumber = (string?)null,
            blockedDate = (string?)null,
            fullPan = (string?)null,
            cardId = c.Id,
            txnId = c.TxnId.ToString(CultureInfo.InvariantCulture),
            cardExpireMonth = c.Expires.ToOffset(QiwiWire.Moscow).Month.ToString("00", CultureInfo.InvariantCulture),
            cardExpireYear = c.Expires.ToOffset(QiwiWire.Moscow).Year.ToString(CultureInfo.InvariantCulture),
            unblockAvailable = false,
        },
        balance = (object?)null,
        info = new
        {
            id = 12,
            name = "QIWI Virtual Card",
            alias = "qvc-cpa",
            price = QiwiWire.Money(0m, 643),
            period = "per year",
            type = "QVC_CPA",
            details = new { info = "Free, valid for 3 years", description = "", tariffLink = "", offerLink = "", features = Array.Empty<string>(), requisites = Array.Empty<object>() },
            features = Array.Empty<object>(),
        },
    };

    private static Dictionary<string, object?> Bill(EmulatorBill b) => new()
    {
        ["id"] = b.Id,
        ["external_id"] = b.ExternalId,
        ["creation_datetime"] = b.CreatedAt.ToUnixTimeMilliseconds(),
        ["expiration_datetime"] = b.ExpiresAt.ToUnixTimeMilliseconds(),
        ["sum"] = new { currency = b.Currency, amount = b.Amount },
        ["status"] = b.Status,
        ["type"] = "MERCHANT",
        ["repetitive"] = false,
        ["provider"] = new Dictionary<string, object?>
        {
            ["id"] = b.MerchantId, ["short_name"] = b.MerchantName, ["long_name"] = b.MerchantName,
            ["logo_url"] = $"https://static.qiwi.com/img/providers/logoBig/{b.MerchantId.ToString(CultureInfo.InvariantCulture)}_l.png",
        },
        ["comment"] = b.Comment,
        ["pay_url"] = $"https://oplata.qiwi.com/form?shop={b.MerchantId.ToString(CultureInfo.InvariantCulture)}&transaction={b.Id.ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>
    /// A Unix time from the query. Documented as Unix time; QIWI's own example values are milliseconds, so
    /// milliseconds it is, and a value too small to be milliseconds after 1973 is read as seconds.
    /// </summary>
    private static bool TryTime(IQueryCollection query, string name, out DateTimeOffset? value)
    {
        value = null;
        if (!query.ContainsKey(name)) return true;
        if (!long.TryParse(query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 253_402_300_799_999) return false;
        value = number < 100_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(number) : DateTimeOffset.FromUnixTimeMilliseconds(number);
        return true;
    }

    /// <summary>A numeric id from the JSON body, given as a number or as a string of digits (QIWI's own examples use both).</summary>
    private static long? Id(JsonElement? body, string name)
    {
        if (body is not { ValueKind: JsonValueKind.Object } json || !json.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) && number > 0 => number,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 => parsed,
            _ => null,
        };
    }
}
