using FluentValidation;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Listings.GetCatalog;

public sealed class GetCatalogValidator : AbstractValidator<GetCatalogQuery>
{
    public const int MaxPageSize = 100;

    public GetCatalogValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize);
        RuleFor(q => q.Category).MaximumLength(64).SingleLine();
    }
}
