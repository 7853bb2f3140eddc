using FluentValidation;

namespace Marketplace.Application.Orders.PlaceOrder;

public sealed class PlaceOrderValidator : AbstractValidator<PlaceOrderCommand>
{
    public const int MaxQuantity = 100;

    public PlaceOrderValidator()
    {
        RuleFor(c => c.ListingId).NotEmpty();
        RuleFor(c => c.Quantity).InclusiveBetween(1, MaxQuantity);
    }
}
