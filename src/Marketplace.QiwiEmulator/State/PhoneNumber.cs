namespace Marketplace.QiwiEmulator.State;

/// <summary>
/// Russian and Kazakh phone numbers (+7) for mobile detection and top-up (contract §6.2). Clients
/// write them many ways; every form is reduced to one canonical form, the 10-digit national number
/// that mobile payments document (<c>9161112233</c>). Detection documents the 11-digit international
/// form (<c>79161112233</c>), which is <see cref="International"/> of it.
/// </summary>
public static class PhoneNumber
{
    /// <summary>
    /// Accepts 10 digits, or 11 starting with 7 or 8, or +7 and 10 digits; spaces, dashes and
    /// parentheses are ignored. Anything else (other lengths, other country codes, letters) is refused.
    /// </summary>
    public static bool TryNormalize(string? input, out string national)
    {
        national = "";
        if (string.IsNullOrWhiteSpace(input) || input.Length > 32) return false;
        var digits = new System.Text.StringBuilder(11);
        var plus = false;
        foreach (var c in input.Trim())
        {
            if (c is ' ' or '-' or '(' or ')') continue;
            if (c == '+' && digits.Length == 0 && !plus) { plus = true; continue; }
            if (!char.IsAsciiDigit(c)) return false;
            digits.Append(c);
        }

        var text = digits.ToString();
        switch (text.Length)
        {
            case 10 when !plus:
                national = text;
                return true;
            case 11 when text[0] == '7' || (text[0] == '8' && !plus):
                national = text[1..];
                return true;
            default:
                return false;
        }
    }

    /// <summary>The 11-digit international form, without '+': 7 and the national number.</summary>
    public static string International(string national) => "7" + national;
}
