using FluentValidation;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Orders.ListOrders;

public sealed class ListOrdersValidator : AbstractValidator<ListOrdersQuery>
{
    public ListOrdersValidator()
    {
        RuleFor(q => q.Role).Must(r => r is null or OrderRoles.Buyer or OrderRoles.Seller)
            .WithMessage("'Role' must be 'buyer' or 'seller'.");
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, 100);
    }
}
