using FluentValidation;
using Marketplace.Application.Accounts.Security;

namespace Marketplace.Application.Accounts.ChangePassword;

public sealed class ChangePasswordValidator : AbstractValidator<ChangePasswordCommand>
{
    public ChangePasswordValidator()
    {
        RuleFor(c => c.CurrentPassword).NotEmpty().MaximumLength(512);
        RuleFor(c => c.NewPassword).ValidNewPassword();
    }
}
