using FluentValidation;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Listings;

namespace Marketplace.Application.Listings.CreateListing;

public sealed class CreateListingValidator : AbstractValidator<CreateListingCommand>
{
    public CreateListingValidator()
    {
        RuleFor(c => c.Title).NotEmpty().MaximumLength(200).SingleLine();
        RuleFor(c => c.Description).MaximumLength(4000).NoControlCharacters();
        RuleFor(c => c.Category).NotEmpty().MaximumLength(64).SingleLine();
        RuleFor(c => c.Price).ValidMoney();
        RuleFor(c => c.WalletId).NotEmpty();
        RuleFor(c => c.PaymentWindowMinutes)
            .InclusiveBetween(Listing.MinPaymentWindowMinutes, Listing.MaxPaymentWindowMinutes);
        RuleFor(c => c.MaxQuantityPerOrder)
            .InclusiveBetween(Listing.MinMaxQuantityPerOrder, Listing.MaxMaxQuantityPerOrder);
        RuleFor(c => c.ProtectionHours)
            .InclusiveBetween(Listing.MinProtectionHours, Listing.MaxProtectionHours);
        RuleFor(c => c.LowStockThreshold)
            .InclusiveBetween(0, Listing.MaxLowStockThreshold);
    }
}
