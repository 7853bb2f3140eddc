using System.Globalization;
using System.Text.Json;
using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>
/// Payments (contract §6): wallet transfers (provider 99), card transfers and mobile top-ups, all at
/// POST /sinap/api/v2/terms/{id}/payments with QIWI's short error shape.
/// </summary>
internal static class PaymentEndpoints
{
    /// <summary>The largest amount one payment may carry (QIWI error 242 above it).</summary>
    private const decimal MaxAmount = 1_000_000_000m;

    /// <summary>Providers the emulator pays: wallet, wallet by nickname, cards (RU Visa, MasterCard, MIR, QIWI virtual) and mobile operators.</summary>
    public static readonly HashSet<int> Providers = [99, 99999, 1963, 21013, 31652, 22351, 1, 2, 3, 42, 25598];

    public static bool IsCard(int providerId) => providerId is 1963 or 21013 or 31652 or 22351;

    public static bool IsMobile(int providerId) => providerId is 1 or 2 or 3 or 42 or 25598;

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/sinap/api/v2/terms/{providerId}/payments", async (HttpRequest request, EmulatorState state, int providerId) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.PaymentsNoSms);
            if (auth.Wallet is not { } sender) return QiwiResponses.Denied(auth, "sinap");
            if (!QiwiResponses.AcceptsJson(request) || request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
                return QiwiResponses.SinapError(400, 300, "Only application/json is supported");

            JsonElement body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, QiwiWire.Json, request.HttpContext.RequestAborted);
            }
            catch (JsonException)
            {
                return QiwiResponses.SinapError(400, 300, "Malformed JSON");
            }

            if (!Providers.Contains(providerId)) return QiwiResponses.SinapError(400, 300, "Unknown provider");
            var parsed = Parse(body, providerId);
            if (parsed.Error is not null) return QiwiResponses.SinapError(400, parsed.ErrorCode, parsed.Error);

            var result = state.Pay(sender, parsed.Id!, providerId, parsed.Account!, parsed.Amount,
                providerId is 99 or 99999 ? parsed.Comment : null, parsed.AccountType);
            if (result.Payment is not { } payment) return QiwiResponses.SinapError(400, result.ErrorCode, result.Message!);

            var response = new Dictionary<string, object?>
            {
                ["id"] = payment.ClientId,
                ["terms"] = providerId.ToString(CultureInfo.InvariantCulture),
                ["fields"] = new { account = payment.Account.TrimStart('+') },
                ["sum"] = QiwiWire.SinapMoney(payment.Amount),
                ["transaction"] = new { id = payment.TxnId.ToString(CultureInfo.InvariantCulture), state = new { code = "Accepted" } },
                ["source"] = "account_643",
            };
            if (payment.Comment is not null) response["comment"] = payment.Comment;
            return QiwiResponses.Ok(response);
        });

    private static ParsedPayment Parse(JsonElement body, int providerId)
    {
        if (body.ValueKind != JsonValueKind.Object) return ParsedPayment.Invalid(300, "Body must be a JSON object");
        var id = body.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        if (id is null || id.Length is 0 or > 20 || !id.All(char.IsAsciiDigit))
            return ParsedPayment.Invalid(300, "id must be a string of at most 20 digits");

        if (!body.TryGetProperty("sum", out var sum) || sum.ValueKind != JsonValueKind.Object
            || !sum.TryGetProperty("amount", out var amountElement) || amountElement.ValueKind != JsonValueKind.Number
            || !amountElement.TryGetDecimal(out var amount) || amount <= 0)
            return ParsedPayment.Invalid(241, "sum.amount must be a positive number");
        // Far above any wallet's limit, and kept where kopeck arithmetic cannot overflow a decimal.
        if (amount > MaxAmount) return ParsedPayment.Invalid(242, "sum.amount is above the maximum");
        if (!sum.TryGetProperty("currency", out var currency) || currency.ValueKind != JsonValueKind.String || currency.GetString() != "643")
            return ParsedPayment.Invalid(300, "sum.currency must be \"643\"");

        if (!body.TryGetProperty("paymentMethod", out var method) || method.ValueKind != JsonValueKind.Object
            || method.TryGetProperty("type", out var type) is false || type.GetString() != "Account"
            || method.TryGetProperty("accountId", out var accountId) is false || accountId.GetString() != "643")
            return ParsedPayment.Invalid(300, "paymentMethod must be {\"type\":\"Account\",\"accountId\":\"643\"}");

        if (!body.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object
            || !fields.TryGetProperty("account", out var account) || account.ValueKind != JsonValueKind.String)
            return ParsedPayment.Invalid(4, "fields.account is required");
        var digits = account.GetString()!.TrimStart('+');
        string? accountType = null;
        if (providerId == 99999)
        {
            // Transfer by nickname: fields.account is a nickname, or a wallet number with fields.accountType "phone".
            if (fields.TryGetProperty("accountType", out var typeElement))
            {
                accountType = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : null;
                if (accountType is not ("nickname" or "phone")) return ParsedPayment.Invalid(300, "fields.accountType must be nickname or phone");
            }

            var text = account.GetString()!.Trim();
            if (text.Length is 0 or > 64) return ParsedPayment.Invalid(4, "fields.account must be a nickname or a wallet number");
            return new ParsedPayment(id, decimal.Truncate(amount * 100) / 100, text, Comment(body), null, 0, accountType);
        }

        bool validAccount;
        if (IsMobile(providerId))
        {
            // Documented as 10 digits without the leading 7 or 8; the 11-digit form detection takes
            // (and +7, spaces, dashes, parentheses) is accepted too and reduced to the documented one.
            validAccount = PhoneNumber.TryNormalize(account.GetString(), out var national);
            digits = national;
        }
        else
        {
            validAccount = providerId == 99
                ? digits.Length is >= 11 and <= 15
                : digits.Length is >= 13 and <= 19; // a card number
        }

        if (!validAccount || !digits.All(char.IsAsciiDigit))
            return ParsedPayment.Invalid(providerId == 99 ? 4 : providerId == 1963 ? 522 : 303, "fields.account has the wrong format for this provider");

        // More than two decimals are truncated down to kopecks, as QIWI did.
        return new ParsedPayment(id, decimal.Truncate(amount * 100) / 100, digits, Comment(body), null, 0);
    }

    private static string? Comment(JsonElement body) =>
        body.TryGetProperty("comment", out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    private sealed record ParsedPayment(string? Id, decimal Amount, string? Account, string? Comment, string? Error, int ErrorCode, string? AccountType = null)
    {
        public static ParsedPayment Invalid(int code, string error) => new(null, 0, null, null, error, code);
    }
}
