using FluentValidation;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Accounts.Register;

public sealed class RegisterValidator : AbstractValidator<RegisterCommand>
{
    public RegisterValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(254).SingleLine().EmailAddress();
        RuleFor(c => c.Password).NotEmpty().MinimumLength(8).MaximumLength(128);
    }
}
