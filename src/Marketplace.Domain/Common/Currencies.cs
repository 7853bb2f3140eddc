namespace Marketplace.Domain.Common;

/// <summary>
/// ISO 4217 currencies the marketplace can price in. Wallet APIs speak numeric codes
/// (QIWI: 643), our API speaks alphabetic ones; this is the one place that maps them.
/// </summary>
public static class Currencies
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

    public static IReadOnlyCollection<string> Supported => AlphaToNumeric.Keys;

    public static bool IsSupported(string? alpha) => alpha is not null && AlphaToNumeric.ContainsKey(alpha);

    public static int ToNumeric(string alpha) =>
        AlphaToNumeric.TryGetValue(alpha, out var numeric)
            ? numeric
            : throw new DomainException("money.currency", $"Currency '{alpha}' is not supported.");

    public static string? FromNumeric(int numeric) => NumericToAlpha.GetValueOrDefault(numeric);
}
