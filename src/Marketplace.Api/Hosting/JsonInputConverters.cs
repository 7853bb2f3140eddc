using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Api.Hosting;

/// <summary>
/// A JSON value the API refuses while reading the body. The exception handler turns it into a 400
/// naming the field (the JSON path) with this message.
/// </summary>
public sealed class RejectedJsonValueException(string message) : JsonException(message);

/// <summary>
/// Every JSON string the API reads goes through here: C0 control characters other than tab, LF and CR,
/// DEL and C1 controls are refused (PostgreSQL cannot store U+0000 in text; the rest only ever carries
/// mischief: terminal escapes, log forging). One-line fields refuse tab and line breaks too, in their
/// validators (<see cref="CommonRules.SingleLine{T}"/>).
/// </summary>
public sealed class SafeStringJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"Expected a string, got {reader.TokenType}.");
        return Checked(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);

    private static string Checked(string value) =>
        CommonRules.ContainsControlCharacter(value, allowLineBreaks: true)
            ? throw new RejectedJsonValueException("The value must not contain control characters.")
            : value;
}

/// <summary>
/// Decimals are read exactly or not at all. The framework's reader silently rounds a number with more
/// significant digits than <see cref="decimal"/> holds (1.00000000000000000000000000001 becomes 1), so
/// a validator that checks "at most two fraction digits" would be shown a different number than the
/// client sent. Numbers in strings ("1.5") are read as the serializer options allow.
/// </summary>
public sealed class ExactDecimalJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text;
        if (reader.TokenType == JsonTokenType.Number)
            text = System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        else if (reader.TokenType == JsonTokenType.String && (options.NumberHandling & JsonNumberHandling.AllowReadingFromString) != 0)
            text = reader.GetString()!;
        else
            throw new JsonException($"Expected a number, got {reader.TokenType}.");

        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var value))
            throw new RejectedJsonValueException("The value is not a number in the supported range.");
        if (!SameNumber(text, value.ToString(CultureInfo.InvariantCulture)))
            throw new RejectedJsonValueException("The value has more digits than can be represented exactly.");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

    /// <summary>Compares two decimal literals by value: sign, significant digits and decimal exponent.</summary>
    internal static bool SameNumber(string a, string b) => Canonical(a) is { } x && Canonical(b) is { } y && x == y;

    private static (bool Negative, string Digits, long Exponent)? Canonical(string text)
    {
        var s = text.Trim();
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+')) s = s[1..];
        long exponent = 0;
        var e = s.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!long.TryParse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                || exponent is > int.MaxValue or < int.MinValue) return null;
            s = s[..e];
        }

        var dot = s.IndexOf('.');
        if (dot >= 0)
        {
            exponent -= s.Length - dot - 1;
            s = s.Remove(dot, 1);
        }

        var digits = s.TrimStart('0');
        if (digits.Length == 0) return (false, "", 0); // zero, whatever its sign or scale
        var trimmed = digits.TrimEnd('0');
        return (negative, trimmed, exponent + (digits.Length - trimmed.Length));
    }
}
