using System.Security.Cryptography;
using Marketplace.Domain.Common;

namespace Marketplace.Domain.Orders;

/// <summary>
/// The code a buyer types into the transfer's comment. Ten symbols from a 31-symbol alphabet
/// without look-alikes (no 0/O, 1/I/L) give 49.5 random bits: unguessable, yet short enough to
/// type by hand. Reading a comment back is forgiving (see <see cref="FindCandidates"/>).
/// </summary>
public static class PaymentComment
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const int Length = 10;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>
    /// Every code a comment could be naming: the comment is upper-cased and its Cyrillic look-alikes
    /// turned into Latin letters; then each run of letters and digits that is exactly a code is a
    /// candidate ("order 7KQ3MXW9PA, thanks"), and so is the whole comment with its spaces and
    /// dashes removed when that is a code ("7KQ3 MXW9 PA"). The caller keeps the candidates that are
    /// real orders: one pays, none or several go to the seller's inbox.
    /// </summary>
    public static IReadOnlyList<string> FindCandidates(string? comment)
    {
        if (string.IsNullOrWhiteSpace(comment) || comment.Length > 1000) return [];
        var folded = LookAlikes.FoldToLatinUpper(comment);
        var found = new List<string>(1);
        foreach (var token in folded.Tokens(c => !char.IsAsciiLetterOrDigit(c)))
            if (IsCode(token) && !found.Contains(token)) found.Add(token);

        var squeezed = string.Concat(folded.Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '_' or '.')));
        if (IsCode(squeezed) && !found.Contains(squeezed)) found.Add(squeezed);
        return found;
    }

    public static bool IsCode(string text) => text.Length == Length && text.All(c => Alphabet.Contains(c));

    private static IEnumerable<string> Tokens(this string text, Func<char, bool> isSeparator)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !isSeparator(text[i])) continue;
            if (i > start) yield return text[start..i];
            start = i + 1;
        }
    }
}
