using System.Globalization;
using System.Text.Json;
using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>Transfer to a QIWI wallet (contract §6.1): POST /sinap/api/v2/terms/99/payments.</summary>
internal static class PaymentEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/sinap/api/v2/terms/99/payments", async (HttpRequest request, EmulatorState state) =>
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

            var parsed = Parse(body);
            if (parsed.Error is not null) return QiwiResponses.SinapError(400, parsed.ErrorCode, parsed.Error);

            var result = state.Transfer(sender, parsed.Id!, parsed.Recipient, parsed.Amount, parsed.Comment);
            if (result.Payment is not { } payment) return QiwiResponses.SinapError(400, result.ErrorCode, result.Message!);

            var response = new Dictionary<string, object?>
            {
                ["id"] = payment.ClientId,
                ["terms"] = "99",
                ["fields"] = new { account = payment.Recipient.TrimStart('+') },
                ["sum"] = QiwiWire.SinapMoney(payment.Amount),
                ["transaction"] = new { id = payment.TxnId.ToString(CultureInfo.InvariantCulture), state = new { code = "Accepted" } },
                ["source"] = "account_643",
            };
            if (payment.Comment is not null) response["comment"] = payment.Comment;
            return QiwiResponses.Ok(response);
        });

    private static ParsedPayment Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return ParsedPayment.Invalid(300, "Body must be a JSON object");
        var id = body.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        if (id is null || id.Length is 0 or > 20 || !id.All(char.IsAsciiDigit))
            return ParsedPayment.Invalid(300, "id must be a string of at most 20 digits");

        if (!body.TryGetProperty("sum", out var sum) || sum.ValueKind != JsonValueKind.Object
            || !sum.TryGetProperty("amount", out var amountElement) || amountElement.ValueKind != JsonValueKind.Number
            || !amountElement.TryGetDecimal(out var amount) || amount <= 0)
            return ParsedPayment.Invalid(241, "sum.amount must be a positive number");
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
        if (digits.Length is < 11 or > 15 || !digits.All(char.IsAsciiDigit)
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var recipient))
            return ParsedPayment.Invalid(4, "fields.account must be a wallet number in international form");

        string? comment = null;
        if (body.TryGetProperty("comment", out var commentElement) && commentElement.ValueKind == JsonValueKind.String)
            comment = commentElement.GetString();

        // More than two decimals are truncated down to kopecks, as QIWI did.
        return new ParsedPayment(id, decimal.Truncate(amount * 100) / 100, recipient, comment, null, 0);
    }

    private sealed record ParsedPayment(string? Id, decimal Amount, long Recipient, string? Comment, string? Error, int ErrorCode)
    {
        public static ParsedPayment Invalid(int code, string error) => new(null, 0, 0, null, error, code);
    }
}
