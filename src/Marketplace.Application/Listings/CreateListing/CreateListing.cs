using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Payments;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Common;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.CreateListing;

public sealed record CreateListingCommand(
    string Title, string? Description, string Category, MoneyDto Price, Guid WalletId, int? PaymentWindowMinutes,
    int? MaxQuantityPerOrder = null, int? ProtectionHours = null, int? LowStockThreshold = null)
    : ICommand<ListingDto>;

public sealed class CreateListingHandler(IApplicationDbContext db, ICurrentUser currentUser, IRailRegistry rails, TimeProvider clock)
    : ICommandHandler<CreateListingCommand, ListingDto>
{
    public async ValueTask<ListingDto> Handle(CreateListingCommand command, CancellationToken cancellationToken)
    {
        var sellerId = currentUser.RequireAccountId();
        var wallet = await db.Wallets.AsNoTracking()
            .FirstOrDefaultAsync(w => w.Id == command.WalletId && w.OwnerId == sellerId, cancellationToken);
        // Someone else's wallet is reported exactly like a missing one.
        if (wallet is null)
            throw new UnprocessableException("listing.wallet", "No wallet with this id is connected to your account.", "walletId");
        if (wallet.Status != WalletStatus.Active)
            throw new UnprocessableException("listing.wallet_inactive", "This wallet must be reconnected before it can receive payments.", "walletId");
        // A listing always names its wallet, so what that wallet's rail can receive is known now: a price
        // the buyer could never pay is refused here, not discovered by the first buyer.
        if (!ReceivableCurrencies.CanReceive(rails, wallet.Provider, command.Price.Currency, out var receivable))
            throw new UnprocessableException("listing.currency_not_receivable",
                $"This wallet cannot be paid in {command.Price.Currency}; it receives {(receivable.Count == 0 ? "nothing" : string.Join(", ", receivable.Order(StringComparer.Ordinal)))}.",
                "price.currency");

        var listing = new Listing(
            Guid.NewGuid(), sellerId, wallet.Id, command.Title, command.Description ?? "", command.Category,
            new Money(command.Price.Amount, command.Price.Currency),
            command.PaymentWindowMinutes ?? Listing.DefaultPaymentWindowMinutes, clock.GetUtcNow(),
            command.MaxQuantityPerOrder ?? Listing.DefaultMaxQuantityPerOrder, command.ProtectionHours ?? Listing.DefaultProtectionHours,
            command.LowStockThreshold);
        db.Listings.Add(listing);
        await db.SaveChangesAsync(cancellationToken);
        return ListingDto.ForOwner(listing);
    }
}
