namespace Marketplace.Domain.Common;

/// <summary>
/// ISO 4217 alphabetic codes of the currencies the marketplace can price in. Which of them a given
/// wallet can actually receive is the rail's business (its wallet connector says), and so is how a
/// rail spells them on the wire (QIWI: numeric codes).
/// </summary>
public static class Currencies
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "RUB", "USD", "EUR", "KZT" };

    public static IReadOnlyCollection<string> Supported => Known;

    public static bool IsSupported(string? alpha) => alpha is not null && Known.Contains(alpha);
}
