using System.Security.Cryptography;

namespace Marketplace.Domain.Orders;

/// <summary>
/// The code a buyer types into the transfer's comment. Ten symbols from a 31-symbol alphabet
/// without look-alikes (no 0/O, 1/I/L) give 49.5 random bits: unguessable, yet short enough to
/// type by hand. Matching is case-insensitive and ignores surrounding whitespace.
/// </summary>
public static class PaymentComment
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const int Length = 10;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Normalises what a wallet reports back: trimmed, upper-case, inner spaces removed.</summary>
    public static string? Normalize(string? comment)
    {
        if (string.IsNullOrWhiteSpace(comment)) return null;
        return string.Concat(comment.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
    }
}
