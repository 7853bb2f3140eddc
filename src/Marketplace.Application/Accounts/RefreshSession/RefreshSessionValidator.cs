using FluentValidation;

namespace Marketplace.Application.Accounts.RefreshSession;

public sealed class RefreshSessionValidator : AbstractValidator<RefreshSessionCommand>
{
    public RefreshSessionValidator() => RuleFor(c => c.RefreshToken).NotEmpty().MaximumLength(512);
}
