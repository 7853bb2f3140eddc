using FluentValidation;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Accounts;

namespace Marketplace.Application.Accounts.ApiKeys;

public sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyValidator(TimeProvider clock)
    {
        RuleFor(c => c.Name).NotEmpty().Must(n => n.Trim().Length > 0).WithMessage("'Name' must not be blank.")
            .MaximumLength(ApiKey.MaxNameLength).SingleLine();
        RuleFor(c => c.Scopes).NotEmpty()
            .Must(s => s.Distinct(StringComparer.Ordinal).Count() == s.Count).WithMessage("'Scopes' must not repeat a scope.");
        RuleForEach(c => c.Scopes)
            .Must(ApiScopes.IsKnown)
            .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", ApiScopes.All)}.");
        RuleFor(c => c.ExpiresAt)
            .Must(e => e is not { } end || end > clock.GetUtcNow()).WithMessage("'Expires At' must be in the future.");
    }
}
