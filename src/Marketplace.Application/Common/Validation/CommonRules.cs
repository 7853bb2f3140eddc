using FluentValidation;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Common;

namespace Marketplace.Application.Common.Validation;

public static class CommonRules
{
    public static IRuleBuilderOptions<T, MoneyDto?> ValidMoney<T>(this IRuleBuilder<T, MoneyDto?> rule) =>
        rule.NotNull().ChildRules(money =>
        {
            money.RuleFor(m => m!.Amount)
                .GreaterThan(0)
                .LessThanOrEqualTo(Money.MaxAmount)
                .Must(Money.HasAtMostTwoFractionDigits).WithMessage("'{PropertyName}' must have at most two fraction digits.");
            money.RuleFor(m => m!.Currency)
                .NotEmpty()
                .Must(Currencies.IsSupported)
                .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", Currencies.Supported)}.");
        });
}
