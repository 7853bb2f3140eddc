using System.Text;

namespace Marketplace.Domain.Common;

/// <summary>
/// Upper-case Cyrillic letters that look like Latin ones (a Russian keyboard layout types them in place of
/// the Latin letters people mean). Payment comments are read through this, and seller names are compared
/// through it, so "КЕY SHOP" in Cyrillic cannot pass for "KEY SHOP".
/// </summary>
public static class LookAlikes
{
    private static readonly Dictionary<char, char> CyrillicToLatin = new()
    {
        ['А'] = 'A', ['В'] = 'B', ['Е'] = 'E', ['К'] = 'K', ['М'] = 'M', ['Н'] = 'H', ['О'] = 'O', ['Р'] = 'P',
        ['С'] = 'C', ['Т'] = 'T', ['Х'] = 'X', ['У'] = 'Y', ['З'] = '3', ['Ѕ'] = 'S', ['Ј'] = 'J', ['Ԛ'] = 'Q',
        ['Ԝ'] = 'W', ['Ү'] = 'Y', ['І'] = 'I',
    };

    /// <summary>The text upper-cased (invariant) with each Cyrillic look-alike replaced by its Latin letter.</summary>
    public static string FoldToLatinUpper(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var upper = char.ToUpperInvariant(c);
            builder.Append(CyrillicToLatin.GetValueOrDefault(upper, upper));
        }

        return builder.ToString();
    }
}
