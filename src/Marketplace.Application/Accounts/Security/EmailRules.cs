using FluentValidation;

namespace Marketplace.Application.Accounts.Security;

/// <summary>
/// A deliverable-looking address: exactly one '@', no spaces or control characters, a local part
/// of 1 to 64 characters, a domain with a dot and no empty labels, 254 characters at most (RFC 5321).
/// Surrounding spaces are trimmed first, as the address is stored trimmed.
/// </summary>
public static class EmailRules
{
    public const int MaxLength = 254;

    public static string? Check(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return "Enter an email address.";
        // A line break or NUL is refused even at the edges, where trimming would hide it: it is never a typing slip.
        if (email.Any(char.IsControl)) return "The email address must not contain spaces or control characters.";
        var value = email.Trim();
        if (value.Length > MaxLength) return $"The email address must be at most {MaxLength} characters long.";
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return "The email address must not contain spaces or control characters.";
        var at = value.IndexOf('@');
        if (at < 0 || value.IndexOf('@', at + 1) >= 0) return "The email address must contain exactly one '@'.";
        var local = value[..at];
        var domain = value[(at + 1)..];
        if (local.Length == 0) return "The email address needs a name before the '@'.";
        if (local.Length > 64) return "The part before the '@' must be at most 64 characters long.";
        if (!domain.Contains('.')) return "The email domain must contain a dot.";
        if (domain.Split('.').Any(label => label.Length == 0)) return "The email domain must not have empty parts.";
        return null;
    }

    public static IRuleBuilderOptionsConditions<T, string> ValidEmail<T>(this IRuleBuilder<T, string> rule) =>
        rule.Custom((email, context) =>
        {
            if (Check(email) is { } problem) context.AddFailure(problem);
        });
}
