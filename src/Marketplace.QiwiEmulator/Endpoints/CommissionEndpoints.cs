using System.Text.Json;
using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>Commission (contract §5): the exact commission for a payment, and a provider's standard tariff.</summary>
internal static class CommissionEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/sinap/providers/{providerId}/onlineCommission", async (HttpRequest request, EmulatorState state, int providerId) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.PaymentsNoSms);
            if (auth.Wallet is null) return QiwiResponses.Denied(auth, "sinap");
            JsonElement body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, QiwiWire.Json, request.HttpContext.RequestAborted);
            }
            catch (JsonException)
            {
                return QiwiResponses.SinapError(400, 300, "Malformed JSON");
            }

            if (body.ValueKind != JsonValueKind.Object
                || !body.TryGetProperty("purchaseTotals", out var totals) || totals.ValueKind != JsonValueKind.Object
                || !totals.TryGetProperty("total", out var total) || total.ValueKind != JsonValueKind.Object
                || !total.TryGetProperty("amount", out var amountElement) || !amountElement.TryGetDecimal(out var amount) || amount <= 0)
                return QiwiResponses.SinapError(400, 241, "purchaseTotals.total.amount must be a positive number");
            if (!body.TryGetProperty("account", out var account) || account.ValueKind != JsonValueKind.String)
                return QiwiResponses.SinapError(400, 4, "account is required");

            amount = decimal.Truncate(amount * 100) / 100; // extra decimals are rounded down to kopecks
            var commission = state.CommissionFor(providerId, amount);
            return QiwiResponses.Ok(new
            {
                providerId,
                withdrawSum = QiwiWire.SinapMoney(amount + commission),
                enrollmentSum = QiwiWire.SinapMoney(amount),
                qwCommission = QiwiWire.SinapMoney(commission),
                fundingSourceCommission = QiwiWire.SinapMoney(0m),
                withdrawToEnrollmentRate = 1,
            });
        });

        // No token: QIWI served the standard rates to anyone.
        routes.MapGet("/sinap/providers/{providerId}/form", (EmulatorState state, int providerId) =>
        {
            var tariff = state.TariffFor(providerId) ?? new TariffOptions();
            var range = new Dictionary<string, object?>
            {
                ["bound"] = 0m, ["fixed"] = tariff.Fixed, ["rate"] = tariff.Rate, ["min"] = tariff.Min, ["max"] = tariff.Max,
            };
            var limit = new { currency = "643", min = tariff.LimitMin, max = tariff.LimitMax };
            return QiwiResponses.Ok(new { content = new { terms = new { commission = new { ranges = new[] { range }, limits = new[] { limit } } } } });
        });
    }
}
