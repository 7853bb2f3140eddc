namespace Marketplace.Rails.Qiwi;

/// <summary>
/// QIWI speaks ISO 4217 numeric codes (643) on the wire; the rest of the marketplace speaks
/// alphabetic ones (RUB). This is the one place that maps them (contract §0: 643, 840, 978, 398 observed).
/// </summary>
public static class QiwiCurrencies
{
    private static readonly Dictionary<string, int> AlphaToNumeric = new(StringComparer.Ordinal)
    {
        ["RUB"] = 643,
        ["USD"] = 840,
        ["EUR"] = 978,
        ["KZT"] = 398,
    };

    private static readonly Dictionary<int, string> NumericToAlpha =
        AlphaToNumeric.ToDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>The only currency a wallet-to-wallet transfer (provider 99) and the payment form take (§6.1, §8).</summary>
    public const string Rub = "RUB";

    public static bool TryToNumeric(string alpha, out int numeric) => AlphaToNumeric.TryGetValue(alpha, out numeric);

    public static int ToNumeric(string alpha) =>
        AlphaToNumeric.TryGetValue(alpha, out var numeric)
            ? numeric
            : throw new ArgumentException($"QIWI has no numeric code for currency '{alpha}'.", nameof(alpha));

    /// <summary>The alphabetic code, or null for a currency the marketplace does not know.</summary>
    public static string? FromNumeric(int numeric) => NumericToAlpha.GetValueOrDefault(numeric);
}
