using FluentValidation;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Common;

namespace Marketplace.Application.Listings.GetCatalog;

public sealed class GetCatalogValidator : AbstractValidator<GetCatalogQuery>
{
    public const int MaxPageSize = 100;
    public const int MaxQueryLength = 100;

    public GetCatalogValidator()
    {
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.Page).Equal(1).When(q => q.Cursor is not null)
            .WithMessage("'page' cannot be combined with 'cursor': follow nextCursor instead.");
        RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize);
        RuleFor(q => q.Category).MaximumLength(64).SingleLine();
        RuleFor(q => q.Q).MaximumLength(MaxQueryLength).SingleLine();
        RuleFor(q => q.MinPrice).GreaterThanOrEqualTo(0).PrecisionScale(18, 2, ignoreTrailingZeros: true);
        RuleFor(q => q.MaxPrice).GreaterThanOrEqualTo(0).PrecisionScale(18, 2, ignoreTrailingZeros: true);
        RuleFor(q => q.MaxPrice).GreaterThanOrEqualTo(q => q.MinPrice).When(q => q.MinPrice is not null && q.MaxPrice is not null)
            .WithMessage("'maxPrice' must not be below 'minPrice'.");
        RuleFor(q => q.Currency).Must(Currencies.IsSupported).When(q => q.Currency is not null)
            .WithMessage(q => $"'currency' must be one of: {string.Join(", ", Currencies.Supported.Order(StringComparer.Ordinal))}.");
        RuleFor(q => q.SellerId).NotEqual(Guid.Empty);
        RuleFor(q => q.Sort).Must(s => s is null || CatalogSortNames.ByName.ContainsKey(s))
            .WithMessage($"'sort' must be one of: {string.Join(", ", CatalogSortNames.ByName.Keys)}.");
        RuleFor(q => q.Cursor).Must((q, cursor) => cursor is null || CatalogCursor.TryDecode(cursor, CatalogSortNames.Parse(q.Sort), out _))
            .When(q => q.Sort is null || CatalogSortNames.ByName.ContainsKey(q.Sort))
            .WithMessage("'cursor' is not a cursor of this catalog query: pass nextCursor exactly as returned, with the same sort.");
    }
}
