using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Marketplace.Application.Orders;
using Marketplace.Domain.Common;
using Marketplace.Domain.Disputes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Disputes;

/// <summary>
/// The buyer disputes an order: delivered goods inside the protection window, or money paid for
/// nothing (RefundDue, PartiallyPaid, Unverifiable) at any time. One open dispute per order; while
/// it is open the order does not complete by itself. The seller has <see cref="DisputeOptions.SellerResponseTime"/>
/// to replace, refund or contest. Buyer only (404 otherwise); 409 when the order cannot be disputed now.
/// </summary>
public sealed record OpenDisputeCommand(Guid OrderId, DisputeReason Reason, string Description) : ICommand<DisputeDto>;

public sealed class OpenDisputeValidator : AbstractValidator<OpenDisputeCommand>
{
    public OpenDisputeValidator()
    {
        RuleFor(c => c.Reason).IsInEnum();
        RuleFor(c => c.Description).NotEmpty().MaximumLength(Dispute.MaxTextLength).PlainText();
    }
}

public sealed class OpenDisputeHandler(IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock, IOptions<DisputeOptions> options)
    : ICommandHandler<OpenDisputeCommand, DisputeDto>
{
    public async ValueTask<DisputeDto> Handle(OpenDisputeCommand command, CancellationToken cancellationToken)
    {
        var buyerId = currentUser.RequireAccountId();
        if (!await db.Orders.AnyAsync(o => o.Id == command.OrderId && o.BuyerId == buyerId, cancellationToken))
            throw new NotFoundException("Order", command.OrderId);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await db.LockOrderAsync(command.OrderId, cancellationToken) ?? throw new NotFoundException("Order", command.OrderId);
        var now = clock.GetUtcNow();
        var dispute = new Dispute(Guid.NewGuid(), order.Id, order.BuyerId, order.SellerId, command.Reason, command.Description, now,
            options.Value.SellerResponseTime);
        try
        {
            order.OpenDispute(dispute.Id, now, command.Reason.ToString());
        }
        catch (DomainException ex)
        {
            throw new ConflictException(ex.Code, ex.Message);
        }

        db.Disputes.Add(dispute);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DisputeDto.From(dispute, DisputeRoles.Buyer);
    }
}
