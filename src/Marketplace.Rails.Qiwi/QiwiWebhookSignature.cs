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
    /// <summary>
    /// signFields is part of the unsigned body, so a hash only vouches for the fields it lists: a body whose
    /// list leaves out any of these (the ones QIWI always signed, the transaction id among them) is not trusted.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredSignFields = ["sum.currency", "sum.amount", "type", "account", "txnId"];

    public static string JoinSignFields(JsonElement payment) =>
        string.Join('|', SignFields(payment).Select(path => Format(Resolve(payment, path))));

    public static string Compute(string joined, string base64Key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.UTF8.GetBytes(joined)));

    /// <summary>
    /// Verifies a whole notification body as a payment. A test notification never verifies here, signed or
    /// not: QIWI sent its own unsigned, the emulator signs a sample payment, and neither is money that may
    /// deliver goods. <see cref="HasAuthenticHash"/> checks the signature alone.
    /// </summary>
    public static bool Verify(string notificationJson, string base64Key)
    {
        using var document = JsonDocument.Parse(notificationJson);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return false;
        if (root.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.True) return false;
        return HasAuthenticHash(root, base64Key);
    }

    /// <summary>
    /// True when <c>hash</c> is the HMAC of the payment's sign fields under the key, and those fields include
    /// <see cref="RequiredSignFields"/>; compared in constant time. Says nothing about <c>test</c>.
    /// </summary>
    public static bool HasAuthenticHash(JsonElement notification, string base64Key)
    {
        if (notification.ValueKind != JsonValueKind.Object
            || !notification.TryGetProperty("payment", out var payment) || payment.ValueKind != JsonValueKind.Object
            || !notification.TryGetProperty("hash", out var hash) || hash.ValueKind != JsonValueKind.String
            || hash.GetString() is not { Length: 64 } expected
            || !payment.TryGetProperty("signFields", out var signFields) || signFields.ValueKind != JsonValueKind.String)
            return false;
        if (RequiredSignFields.Except(SignFields(payment), StringComparer.Ordinal).Any()) return false;

        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(JoinSignFields(payment))));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.ASCII.GetBytes(expected));
    }

    private static string[] SignFields(JsonElement payment) =>
        payment.TryGetProperty("signFields", out var fields) && fields.ValueKind == JsonValueKind.String
            ? (fields.GetString() ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];

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
