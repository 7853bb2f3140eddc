using FluentValidation;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Accounts.Login;

/// <summary>Login checks shape only: passwords chosen under an older policy must still work.</summary>
public sealed class LoginValidator : AbstractValidator<LoginCommand>
{
    public LoginValidator()
    {
        RuleFor(c => c.Email).NotEmpty().MaximumLength(254).SingleLine();
        // 128 code points can take 256 UTF-16 units; the cap bounds the hashing work per request.
        RuleFor(c => c.Password).NotEmpty().MaximumLength(512);
    }
}
