using FluentValidation;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Accounts.Login;

public sealed class LoginValidator : AbstractValidator<LoginCommand>
{
    public LoginValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(254).SingleLine();
        RuleFor(c => c.Password).NotEmpty().MaximumLength(128);
    }
}
