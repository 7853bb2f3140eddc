namespace Marketplace.Rails.Qiwi;

/// <summary>
/// QIWI wallets are phone numbers. We store them as '+' and digits; paths take digits only;
/// history reports senders with or without '+'. This is the one place that converts.
/// </summary>
public static class QiwiAccountNumber
{
    public static string? Normalize(string? account)
    {
        if (string.IsNullOrWhiteSpace(account)) return null;
        var trimmed = account.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        var allowed = trimmed.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')');
        if (!allowed || digits.Length is < 11 or > 15 || trimmed.LastIndexOf('+') > 0) return null;
        return "+" + digits;
    }

    public static long ToPersonId(string normalized) => long.Parse(normalized.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
}
