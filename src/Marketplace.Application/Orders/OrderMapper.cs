using Marketplace.Application.Common.Models;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Orders;

namespace Marketplace.Application.Orders;

/// <summary>One mapping from an order to what its buyer or seller may see.</summary>
public sealed class OrderMapper(IRailRegistry rails)
{
    public OrderDto ToDto(
        Order order, Guid viewerId, int? itemCount = null,
        IReadOnlyList<OrderPaymentDto>? payments = null, IReadOnlyList<OrderHistoryDto>? history = null)
    {
        var links = rails.Get<IPaymentLinkBuilder>(new PaymentMethodId(order.PaymentProvider));
        var payment = new PaymentInstructionsDto(
            order.PaymentProvider, order.PaymentAccount, MoneyDto.WithCents(order.TotalAmount), order.Currency, order.PaymentComment,
            links.Build(order.PaymentAccount, order.Total, order.PaymentComment), order.ExpiresAt, order.Sandbox);
        return new OrderDto(
            order.Id, order.ListingId, order.BuyerId == viewerId ? OrderRoles.Buyer : OrderRoles.Seller, order.Quantity,
            MoneyDto.Of(order.UnitPrice, order.Currency), MoneyDto.Of(order.TotalAmount, order.Currency),
            order.Status, order.CreatedAt, order.ExpiresAt, order.PaidAt, order.DeliveredAt, order.ExpiredAt, order.CancelledAt,
            payment, order.Sandbox,
            MoneyDto.Of(order.PaidAmount, order.Currency), MoneyDto.Of(order.SurplusAmount, order.Currency), order.PaidLate,
            order.ProtectionEndsAt, order.CompletedAt, order.OpenDisputeId, itemCount, MoneyDto.Of(order.RefundedAmount, order.Currency),
            payments, history);
    }
}
