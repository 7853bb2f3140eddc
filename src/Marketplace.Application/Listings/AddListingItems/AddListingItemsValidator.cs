using FluentValidation;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Listings.AddListingItems;

public sealed class AddListingItemsValidator : AbstractValidator<AddListingItemsCommand>
{
    public const int MaxItemsPerRequest = 1000;
    public const int MaxItemLength = Items.ItemPreparer.MaxItemLength;

    public AddListingItemsValidator()
    {
        RuleFor(c => c.ListingId).NotEmpty();
        RuleFor(c => c.Items).NotEmpty().Must(items => items.Count <= MaxItemsPerRequest)
            .WithMessage($"'Items' must contain at most {MaxItemsPerRequest} entries per request.");
        RuleForEach(c => c.Items).NotEmpty().MaximumLength(MaxItemLength).NoControlCharacters()
            .Must(item => !string.IsNullOrWhiteSpace(item)).WithMessage("'{PropertyName}' must not be blank.");
    }
}
