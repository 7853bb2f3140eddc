using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// QIWI's webhook signature (contract §7.2): the values at payment.signFields, in order, joined by
/// '|', HMAC-SHA256 with the base64-decoded hook key, lowercase hex. Numbers are written in their
/// shortest invariant form (1, 1.73, 10.5), as the known clients rebuild them.
/// </summary>
public static class QiwiWebhookSignature
{
    public static string JoinSignFields(JsonElement payment)
    {
        var fields = payment.GetProperty("signFields").GetString() ?? "";
        return string.Join('|', fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(path => Format(Resolve(payment, path))));
    }

    public static string Compute(string joined, string base64Key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.UTF8.GetBytes(joined)));

    /// <summary>
    /// Verifies a whole notification body. A test notification never verifies, signed or not: QIWI sent its
    /// own unsigned, the emulator signs a sample payment, and neither is money that may deliver goods.
    /// </summary>
    public static bool Verify(string notificationJson, string base64Key)
    {
        using var document = JsonDocument.Parse(notificationJson);
        var root = document.RootElement;
        if (root.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.True) return false;
        if (!root.TryGetProperty("payment", out var payment) || payment.ValueKind != JsonValueKind.Object) return false;
        if (!root.TryGetProperty("hash", out var hash) || hash.GetString() is not { Length: 64 } expected) return false;
        var actual = Compute(JoinSignFields(payment), base64Key);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(expected));
    }

    private static JsonElement? Resolve(JsonElement element, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element)) return null;
        }

        return element;
    }

    private static string Format(JsonElement? value) => value switch
    {
        null => "null",
        { ValueKind: JsonValueKind.Number } number => number.GetDecimal().ToString("0.############################", CultureInfo.InvariantCulture),
        { ValueKind: JsonValueKind.String } text => text.GetString() ?? "",
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        { ValueKind: JsonValueKind.Null } => "null",
        { } other => other.GetRawText(),
    };
}
