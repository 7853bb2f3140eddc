using System.Globalization;
using System.Text;
using FluentValidation;

namespace Marketplace.Application.Accounts.Security;

/// <summary>
/// New passwords after NIST SP 800-63B §3.1.1.2: length counted in Unicode code points (10 to 128),
/// any printable character including spaces and emoji, no composition rules, but not a known
/// common password. Applies when a password is chosen (register, change), never at login, so
/// accounts created under an older policy can still sign in.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    /// <summary>The first reason the password is refused, or null when it is acceptable.</summary>
    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password)) return "Choose a password.";
        var length = 0;
        foreach (var status in Runes(password))
        {
            if (status is null) return "The password contains an invalid character.";
            if (Rune.GetUnicodeCategory(status.Value) == UnicodeCategory.Control) return "The password must not contain control characters.";
            length++;
        }

        if (length < MinLength) return $"The password must be at least {MinLength} characters long.";
        if (length > MaxLength) return $"The password must be at most {MaxLength} characters long.";
        if (CommonPasswords.Contains(password)) return "This password is too common; choose another.";
        return null;
    }

    /// <summary>Code points in order; null for a lone surrogate.</summary>
    private static IEnumerable<Rune?> Runes(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                yield return null;
                yield break;
            }

            yield return rune;
            i += consumed;
        }
    }

    public static IRuleBuilderOptionsConditions<T, string> ValidNewPassword<T>(this IRuleBuilder<T, string> rule) =>
        rule.Custom((password, context) =>
        {
            if (Check(password) is { } problem) context.AddFailure(problem);
        });
}
