using FluentValidation;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Common;

namespace Marketplace.Application.Common.Validation;

public static class CommonRules
{
    /// <summary>The highest page number a paged query accepts: far beyond any real catalog, and (page - 1) * pageSize stays an int.</summary>
    public const int MaxPage = 1_000_000;

    public static IRuleBuilderOptions<T, MoneyDto?> ValidMoney<T>(this IRuleBuilder<T, MoneyDto?> rule) =>
        rule.NotNull().ChildRules(money =>
        {
            money.RuleFor(m => m!.Amount)
                .GreaterThan(0)
                .LessThanOrEqualTo(Money.MaxAmount)
                .Must(Money.HasAtMostTwoFractionDigits).WithMessage("'{PropertyName}' must have at most two fraction digits.");
            money.RuleFor(m => m!.Currency)
                .NotEmpty()
                .SingleLine()
                .Must(Currencies.IsSupported)
                .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", Currencies.Supported)}.");
        });

    /// <summary>
    /// A one-line value (email, title, category, wallet account, token...): no control character at all,
    /// not even tab or line breaks. Null passes (NotEmpty decides whether the value is required).
    /// </summary>
    public static IRuleBuilderOptions<T, string?> SingleLine<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || !ContainsControlCharacter(value, allowLineBreaks: false))
            .WithMessage("'{PropertyName}' must be a single line without control characters.");

    /// <summary>Free text (descriptions, items): tab, CR and LF are allowed; other control characters are not.</summary>
    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || !ContainsControlCharacter(value, allowLineBreaks: true))
            .WithMessage("'{PropertyName}' must not contain control characters.");

    /// <summary>Text people read (dispute messages): no control characters but line breaks, and no markup tags.</summary>
    public static IRuleBuilderOptions<T, string?> PlainText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || Marketplace.Domain.Disputes.Dispute.IsPlainText(value))
            .WithMessage("'{PropertyName}' must be plain text: no control characters and no markup tags.");

    /// <summary>A seller's public name (see <see cref="Marketplace.Domain.Accounts.DisplayName"/>); null passes.</summary>
    public static IRuleBuilderOptions<T, string?> ValidDisplayName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(value => value is null || value.Length <= 200 && Marketplace.Domain.Accounts.DisplayName.IsValid(Marketplace.Domain.Accounts.DisplayName.Normalize(value)))
            .WithMessage($"'{{PropertyName}}' must have {Marketplace.Domain.Accounts.DisplayName.MinLength} to {Marketplace.Domain.Accounts.DisplayName.MaxLength} characters: letters, digits, spaces and - _ . ' &, with at least one letter or digit.");

    /// <summary>1 to <see cref="MaxPage"/>.</summary>
    public static IRuleBuilderOptions<T, int> ValidPage<T>(this IRuleBuilder<T, int> rule) =>
        rule.InclusiveBetween(1, MaxPage);

    /// <summary>
    /// C0 controls (U+0000-U+001F), DEL and C1 controls (U+007F-U+009F), and the Unicode line and
    /// paragraph separators. With <paramref name="allowLineBreaks"/>, tab, LF and CR are allowed.
    /// </summary>
    public static bool ContainsControlCharacter(ReadOnlySpan<char> value, bool allowLineBreaks)
    {
        foreach (var c in value)
        {
            if (c is '\t' or '\n' or '\r') { if (!allowLineBreaks) return true; }
            else if (c < '\u0020' || c is >= '\u007f' and <= '\u009f') return true;
            else if (!allowLineBreaks && c is '\u2028' or '\u2029') return true;
        }
        return false;
    }
}
