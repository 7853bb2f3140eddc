using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Telemetry;
using Marketplace.Domain.Common;
using Mediator;

namespace Marketplace.Application.Orders.PlaceOrder;

/// <summary>
/// Counts placed and rejected orders and times each placement, around the handler: the handler stays
/// about placing orders. Runs inside validation, so a malformed request (400) is neither placed nor
/// rejected; a refusal is counted by its problem code (order.out_of_stock, order.too_many_unpaid, ...).
/// </summary>
public sealed class PlaceOrderMetrics(MarketplaceMetrics metrics, TimeProvider clock) : IPipelineBehavior<PlaceOrderCommand, OrderDto>
{
    public async ValueTask<OrderDto> Handle(
        PlaceOrderCommand message, MessageHandlerDelegate<PlaceOrderCommand, OrderDto> next, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        try
        {
            var order = await next(message, cancellationToken);
            metrics.OrderPlaced(clock.GetElapsedTime(started));
            return order;
        }
        catch (Exception ex) when (ReasonOf(ex) is { } reason)
        {
            metrics.OrderRejected(reason, clock.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>The problem code a refusal surfaces as; null for failures that are not a business refusal.</summary>
    internal static string? ReasonOf(Exception exception) => exception switch
    {
        ConflictException conflict => conflict.Code,
        UnprocessableException unprocessable => unprocessable.Code,
        ForbiddenException forbidden => forbidden.Code,
        DomainException domain => domain.Code,
        NotFoundException => "not_found", // the code its 404 carries
        UnauthorizedException => "unauthorized",
        _ => null,
    };
}
