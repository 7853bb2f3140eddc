using FluentValidation;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Listings;

namespace Marketplace.Application.Listings.EditListing;

/// <summary>The rules of creation, for the fields present.</summary>
public sealed class EditListingValidator : AbstractValidator<EditListingCommand>
{
    public EditListingValidator()
    {
        RuleFor(c => c.Id).NotEmpty();
        RuleFor(c => c.Title).NotEmpty().MaximumLength(200).SingleLine().When(c => c.Title is not null);
        RuleFor(c => c.Description).MaximumLength(4000).NoControlCharacters();
        RuleFor(c => c.Category).NotEmpty().MaximumLength(64).SingleLine().When(c => c.Category is not null);
        RuleFor(c => c.Price).ValidMoney().When(c => c.Price is not null);
        RuleFor(c => c.PaymentWindowMinutes)
            .InclusiveBetween(Listing.MinPaymentWindowMinutes, Listing.MaxPaymentWindowMinutes);
        RuleFor(c => c.MaxQuantityPerOrder)
            .InclusiveBetween(Listing.MinMaxQuantityPerOrder, Listing.MaxMaxQuantityPerOrder);
        RuleFor(c => c.ProtectionHours)
            .InclusiveBetween(Listing.MinProtectionHours, Listing.MaxProtectionHours);
        RuleFor(c => c.IfMatch).MaximumLength(1024);
    }
}
