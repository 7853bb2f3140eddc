using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Payments;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.EditListing;

/// <summary>
/// The seller changes a listing; absent fields stay as they are. A new price applies to orders placed from
/// now on: an order keeps the unit price it was placed at. With <see cref="IfMatch"/> (the ETag the client
/// read) the edit happens only if the listing still is what the client saw (412 otherwise); without it, an
/// edit racing another edit is a 409 to retry, never a lost update.
/// </summary>
public sealed record EditListingCommand(
    Guid Id, string? Title, string? Description, string? Category, MoneyDto? Price, int? PaymentWindowMinutes,
    int? MaxQuantityPerOrder, int? ProtectionHours, string? IfMatch = null)
    : ICommand<ListingView>;

public sealed class EditListingHandler(
    IApplicationDbContext db, ICurrentUser currentUser, ListingViews views, IRailRegistry rails, TimeProvider clock)
    : ICommandHandler<EditListingCommand, ListingView>
{
    public async ValueTask<ListingView> Handle(EditListingCommand command, CancellationToken cancellationToken)
    {
        var sellerId = currentUser.RequireAccountId();
        var listing = await db.Listings.FirstOrDefaultAsync(l => l.Id == command.Id && l.SellerId == sellerId, cancellationToken)
                      ?? throw new NotFoundException("Listing", command.Id);
        if (command.IfMatch is not null)
        {
            var current = await views.ViewAsync(listing, cancellationToken);
            if (!ListingETag.Matches(command.IfMatch, current.ETag))
                throw new PreconditionFailedException("listing.changed", "The listing changed since it was read; read it again and retry.");
        }

        if (command.Price is not null && !string.Equals(command.Price.Currency, listing.Currency, StringComparison.Ordinal))
        {
            var provider = await db.Wallets.AsNoTracking().Where(w => w.Id == listing.WalletId).Select(w => w.Provider).SingleAsync(cancellationToken);
            if (!ReceivableCurrencies.CanReceive(rails, provider, command.Price.Currency, out var receivable))
                throw new UnprocessableException("listing.currency_not_receivable",
                    $"This listing's wallet cannot be paid in {command.Price.Currency}; it receives {(receivable.Count == 0 ? "nothing" : string.Join(", ", receivable.Order(StringComparer.Ordinal)))}.",
                    "price.currency");
        }

        listing.Edit(command.Title, command.Description, command.Category,
            command.Price is null ? null : new Money(command.Price.Amount, command.Price.Currency),
            command.PaymentWindowMinutes, command.MaxQuantityPerOrder, command.ProtectionHours, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (command.IfMatch is not null)
        {
            throw new PreconditionFailedException("listing.changed", "The listing changed since it was read; read it again and retry.");
        }

        return await views.ViewAsync(listing, cancellationToken);
    }
}
