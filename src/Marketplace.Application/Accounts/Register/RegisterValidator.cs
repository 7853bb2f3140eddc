using FluentValidation;
using Marketplace.Application.Accounts.Security;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Accounts.Register;

public sealed class RegisterValidator : AbstractValidator<RegisterCommand>
{
    public RegisterValidator()
    {
        RuleFor(c => c.Email).ValidEmail();
        RuleFor(c => c.Password).ValidNewPassword()
            .Must((command, password) => !string.Equals(password?.Trim(), command.Email?.Trim(), StringComparison.OrdinalIgnoreCase))
            .WithMessage("The password must not be your email address.");
        RuleFor(c => c.DisplayName).ValidDisplayName();
    }
}
