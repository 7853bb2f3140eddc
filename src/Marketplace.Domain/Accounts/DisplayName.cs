using System.Text;
using Marketplace.Domain.Common;

namespace Marketplace.Domain.Accounts;

/// <summary>
/// The public name a seller shows in the catalog. Unique by its <see cref="Key"/>, which folds what a buyer
/// cannot tell apart on screen (case, spacing and punctuation, Cyrillic look-alikes, 0/O and 1/I/l), so
/// nobody can register "KeyShop" in Cyrillic letters, or "Key-Sh0p", beside an established "Key Shop".
/// </summary>
public static class DisplayName
{
    public const int MinLength = 2;
    public const int MaxLength = 40;

    /// <summary>Letters (any script), digits, spaces and <c>- _ . ' &amp;</c>; at least one letter or digit.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length is < MinLength or > MaxLength || name != name.Trim()) return false;
        var hasLetterOrDigit = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsLetterOrDigit(c)) hasLetterOrDigit = true;
            else if (c == ' ') { if (i > 0 && name[i - 1] == ' ') return false; }
            else if (c is not ('-' or '_' or '.' or '\'' or '&')) return false;
        }

        return hasLetterOrDigit;
    }

    /// <summary>Trimmed, inner runs of white space made one space, full-width forms made plain (<see cref="Plain"/>).</summary>
    public static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                if (builder.Length > 0 && builder[^1] == ' ') continue;
                builder.Append(' ');
            }
            else builder.Append(Plain(c));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Full-width ASCII forms (U+FF01-U+FF5E, "ＫＥＹ") as the ASCII characters they show. The service runs with
    /// invariant globalization, where <see cref="string.Normalize()"/> offers no NFKC, so this fold is explicit.
    /// </summary>
    private static char Plain(char c) => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c;

    /// <summary>What two names must not share: full-width forms and look-alikes folded, only letters and digits kept.</summary>
    public static string Key(string name)
    {
        var folded = LookAlikes.FoldToLatinUpper(name);
        var builder = new StringBuilder(folded.Length);
        foreach (var raw in folded)
        {
            var c = char.ToUpperInvariant(Plain(raw));
            if (!char.IsLetterOrDigit(c)) continue;
            builder.Append(c switch { '0' => 'O', '1' or 'I' => 'L', _ => c });
        }

        return builder.ToString();
    }
}
