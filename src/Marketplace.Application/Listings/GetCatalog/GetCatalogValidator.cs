using FluentValidation;

namespace Marketplace.Application.Listings.GetCatalog;

public sealed class GetCatalogValidator : AbstractValidator<GetCatalogQuery>
{
    public const int MaxPageSize = 100;

    public GetCatalogValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize);
        RuleFor(q => q.Category).MaximumLength(64);
    }
}
