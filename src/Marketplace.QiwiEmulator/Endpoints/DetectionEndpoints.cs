using Marketplace.QiwiEmulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>
/// Which provider pays a phone or a card (contract §6.2, §6.3): the old qiwi.com detect.action
/// forms and the newer edge endpoints. Detection follows number prefixes, like a lookup table would.
/// </summary>
internal static class DetectionEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/mobile/detect.action", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return Envelope(MobileOperator(form["phone"].ToString()), "Не удалось определить оператора");
        }).DisableAntiforgery();

        routes.MapPost("/card/detect.action", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return Envelope(CardProvider(form["cardNumber"].ToString()), "Неверный номер карты");
        }).DisableAntiforgery();

        routes.MapGet("/qw-mobile-providers-resolver/v1/providers", (HttpRequest request, EmulatorState state, string? phoneNumber) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.None);
            if (auth.Wallet is null) return QiwiResponses.Denied(auth, "qw-mobile-providers-resolver");
            // Documented as 11 digits starting with 7; the 10-digit form the payment takes is accepted too.
            if (!PhoneNumber.TryNormalize(phoneNumber, out _))
                return QiwiResponses.Validation("qw-mobile-providers-resolver", "phoneNumber must be 11 digits starting with 7");
            var id = MobileOperator(phoneNumber);
            return QiwiResponses.Ok(new
            {
                mobileOperatorProviderList = id is null
                    ? []
                    : new[] { new { id = id.Value, shortName = OperatorName(id.Value), logoUrl = $"https://static.qiwi.com/img/providers/logoBig/{id}_l.png" } },
            });
        });

        routes.MapPost("/sinap/api/refs/bd6fb248-2bdf-49ed-bcb2-9b0a789cfde8/containers", async (HttpRequest request, EmulatorState state) =>
        {
            var auth = state.Authenticate(QiwiResponses.Bearer(request), PermissionGroup.None);
            if (auth.Wallet is null) return QiwiResponses.Denied(auth, "sinap");
            var body = await System.Text.Json.JsonSerializer.DeserializeAsync<Dictionary<string, string>>(request.Body, Wire.QiwiWire.Json);
            var provider = CardProvider(body?.GetValueOrDefault("account")?.Replace(" ", "", StringComparison.Ordinal) ?? "");
            return provider is null
                ? QiwiResponses.SinapError(400, 522, "Wrong card number")
                : QiwiResponses.Ok(new { elements = new[] { new { type = "field", name = "termsId", value = provider.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) } } });
        });
    }

    /// <summary>
    /// An emulator rule: the operator follows the 3-digit code after the country code. Any form
    /// <see cref="PhoneNumber.TryNormalize"/> accepts is detected (79001234567, 9001234567, +7 (900) 123-45-67, 8...).
    /// </summary>
    internal static int? MobileOperator(string? phone)
    {
        if (!PhoneNumber.TryNormalize(phone, out var national)) return null;
        return national[..3] switch
        {
            "910" or "915" or "916" or "917" or "919" => 1, // MTS
            "903" or "905" or "906" or "909" or "960" or "961" or "962" or "963" or "964" or "965" => 2, // Beeline
            "920" or "921" or "922" or "923" or "925" or "926" or "927" or "928" or "929" => 3, // MegaFon
            "900" or "901" or "902" or "904" or "908" or "950" or "951" or "952" or "953" => 42, // Tele2
            "999" => 25598, // Yota
            _ => null,
        };
    }

    /// <summary>Russian Visa (4...), MasterCard (51-55), MIR (2200-2204); a valid Luhn checksum is required.</summary>
    internal static int? CardProvider(string number)
    {
        if (number.Length is < 13 or > 19 || !number.All(char.IsAsciiDigit) || !Luhn(number)) return null;
        if (number.StartsWith('4')) return 1963;
        if (number[0] == '5' && number[1] is >= '1' and <= '5') return 21013;
        if (number.StartsWith("220", StringComparison.Ordinal) && number[3] is >= '0' and <= '4') return 31652;
        return null;
    }

    private static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }

        return sum % 10 == 0;
    }

    private static string OperatorName(int id) => id switch
    {
        1 => "МТС", 2 => "Билайн", 3 => "МегаФон", 42 => "Tele2", 25598 => "Yota", _ => "",
    };

    private static IResult Envelope(int? providerId, string failure) => QiwiResponses.Ok(providerId is { } id
        ? new { code = new { value = "0", _name = "NORMAL" }, data = (object?)null, message = id.ToString(System.Globalization.CultureInfo.InvariantCulture), messages = (object?)null }
        : new { code = new { value = "2", _name = "ERROR" }, data = (object?)null, message = failure, messages = (object?)null });
}
