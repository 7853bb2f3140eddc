using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Reputation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Reputation;

/// <summary>
/// The buyer rates the seller for a completed order: 1 to 5 stars, an optional comment, once per
/// order (409 rating.exists; the primary key decides a race). Buyer only (404 otherwise); 409
/// rating.not_completed before the order completes.
/// </summary>
public sealed record RateSellerCommand(Guid OrderId, int Stars, string? Comment) : ICommand<SellerRatingDto>;

public sealed record SellerRatingDto(Guid OrderId, Guid SellerId, int Stars, string? Comment, DateTimeOffset At);

public sealed class RateSellerValidator : AbstractValidator<RateSellerCommand>
{
    public RateSellerValidator()
    {
        RuleFor(c => c.Stars).InclusiveBetween(1, 5);
        RuleFor(c => c.Comment).MaximumLength(SellerRating.MaxCommentLength).PlainText();
    }
}

public sealed class RateSellerHandler(IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<RateSellerCommand, SellerRatingDto>
{
    public async ValueTask<SellerRatingDto> Handle(RateSellerCommand command, CancellationToken cancellationToken)
    {
        var buyerId = currentUser.RequireAccountId();
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == command.OrderId && o.BuyerId == buyerId)
                        .Select(o => new { o.Id, o.SellerId, o.Status, o.CompletedAt }).SingleOrDefaultAsync(cancellationToken)
                    ?? throw new NotFoundException("Order", command.OrderId);
        if (order.Status != OrderStatus.Delivered || order.CompletedAt is null)
            throw new ConflictException("rating.not_completed", "An order can be rated once it is complete (confirmed, or its protection window ended).");

        var rating = new SellerRating(order.Id, order.SellerId, buyerId, command.Stars, command.Comment, clock.GetUtcNow());
        db.SellerRatings.Add(rating);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            throw new ConflictException("rating.exists", "This order has already been rated.");
        }

        return new SellerRatingDto(rating.OrderId, rating.SellerId, rating.Stars, rating.Comment, rating.At);
    }
}
