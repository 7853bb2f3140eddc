using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Orders.Stock;
using Marketplace.Application.Payments;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Orders.PlaceOrder;

/// <summary>
/// Reserves <see cref="Quantity"/> items of a listing for the caller and opens an order awaiting
/// payment. All or nothing: an order that cannot be filled is a 409 and reserves nothing.
/// Against hoarding: the quantity may not exceed the listing's <c>MaxQuantityPerOrder</c> (422), and a
/// buyer's unpaid orders are capped overall and per listing (<see cref="OrderLimitsOptions"/>, 409
/// <c>order.too_many_unpaid</c>). The caps hold under concurrency: each placement first locks the
/// buyer's account row, so one buyer's placements are serialised and each counts the previous ones.
/// </summary>
public sealed record PlaceOrderCommand(Guid ListingId, int Quantity) : ICommand<OrderDto>;

public sealed class PlaceOrderHandler(
    IApplicationDbContext db, ICurrentUser currentUser, OrderMapper mapper, TimeProvider clock, IOptions<OrderLimitsOptions> limits,
    OperatingMode mode, StockLedger stock, IRailRegistry rails)
    : ICommandHandler<PlaceOrderCommand, OrderDto>
{
    public async ValueTask<OrderDto> Handle(PlaceOrderCommand command, CancellationToken cancellationToken)
    {
        var buyerId = currentUser.RequireAccountId();
        var listing = await db.Listings.AsNoTracking()
                          .FirstOrDefaultAsync(l => l.Id == command.ListingId, cancellationToken)
                      ?? throw new NotFoundException("Listing", command.ListingId);
        EnsureOnSale(listing.Status);
        if (listing.SellerId == buyerId)
            throw new ConflictException("order.own_listing", "You cannot buy from your own listing.");
        if (command.Quantity > listing.MaxQuantityPerOrder)
            throw new UnprocessableException("order.quantity_above_listing_max",
                $"This listing sells at most {listing.MaxQuantityPerOrder} item(s) per order.", "quantity");
        var wallet = await db.Wallets.AsNoTracking().SingleAsync(w => w.Id == listing.WalletId, cancellationToken);
        // A payment into a wallet we cannot read could never be matched: do not take the buyer's money.
        // Play money never buys real goods and real money never pays into a sandbox wallet.
        if (wallet.Sandbox != mode.IsSandbox)
            throw new ConflictException("order.wrong_mode", "This listing's wallet belongs to another operating mode (sandbox or live).");
        if (wallet.Status != WalletStatus.Active)
            throw new ConflictException("order.wallet_unavailable", "The seller's wallet must be reconnected before this listing can be bought.");
        // Listings are checked when created; one created before that rule (or before its rail narrowed what it
        // receives) must not take a buyer's money in a currency the seller's wallet cannot accept.
        if (!ReceivableCurrencies.CanReceive(rails, wallet.Provider, listing.Currency, out _))
            throw new ConflictException("order.currency_not_receivable",
                $"The seller's wallet cannot be paid in {listing.Currency}, this listing's currency.");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();

        // The per-buyer lock, taken first: an update of the buyer's own account row holds its row
        // lock until commit (PostgreSQL; SQLite serialises all writers), so a parallel placement by the
        // same buyer waits here and then counts this one. Login and password change also write this row
        // (failed-attempt counters), but in transactions of their own that lock nothing else, so no cycle.
        var buyerLocked = await db.Accounts.Where(a => a.Id == buyerId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastOrderPlacedAt, now), cancellationToken);
        if (buyerLocked == 0) throw new UnauthorizedException();
        await EnsureUnderUnpaidCapsAsync(buyerId, listing.Id, cancellationToken);

        var orderId = Guid.NewGuid();
        if (!await stock.TryReserveAsync(listing.Id, orderId, command.Quantity, cancellationToken))
            throw new ConflictException("order.out_of_stock", $"Not enough stock to reserve {command.Quantity} item(s).");
        // Read again under the listing's row lock the reservation holds: a pause or archive committed since the
        // first read wins, and one that comes later waits for this order (which then is an existing order).
        EnsureOnSale(await db.Listings.Where(l => l.Id == listing.Id).Select(l => l.Status).SingleAsync(cancellationToken));

        var order = new Order(
            orderId, buyerId, listing.SellerId, listing.Id,
            new PaymentDestination(wallet.Id, wallet.Provider, wallet.Account, wallet.Sandbox), command.Quantity, listing.UnitPrice,
            await NewUniqueCommentAsync(cancellationToken), now,
            TimeSpan.FromMinutes(listing.PaymentWindowMinutes), listing.ProtectionHours);
        db.Orders.Add(order);

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return mapper.ToDto(order, buyerId);
    }

    private static void EnsureOnSale(ListingStatus status)
    {
        if (status == ListingStatus.Paused)
            throw new ConflictException("order.listing_paused", "The seller has paused this listing; it cannot be ordered now.");
        if (status == ListingStatus.Archived)
            throw new ConflictException("order.listing_archived", "This listing is archived and can no longer be ordered.");
    }

    private async Task EnsureUnderUnpaidCapsAsync(Guid buyerId, Guid listingId, CancellationToken cancellationToken)
    {
        var caps = limits.Value;
        var unpaid = await db.Orders
            .Where(o => o.BuyerId == buyerId && OrderStatuses.HoldingStock.Contains(o.Status))
            .Select(o => o.ListingId)
            .ToListAsync(cancellationToken);
        if (unpaid.Count >= caps.MaxUnpaidOrdersPerBuyer)
            throw new ConflictException("order.too_many_unpaid",
                $"You already have {unpaid.Count} unpaid order(s), the most allowed is {caps.MaxUnpaidOrdersPerBuyer}: pay or cancel one first.");
        var onListing = unpaid.Count(id => id == listingId);
        if (onListing >= caps.MaxUnpaidOrdersPerBuyerPerListing)
            throw new ConflictException("order.too_many_unpaid",
                $"You already have {onListing} unpaid order(s) for this listing, the most allowed is {caps.MaxUnpaidOrdersPerBuyerPerListing}: pay or cancel one first.");
    }

    private async Task<string> NewUniqueCommentAsync(CancellationToken cancellationToken)
    {
        // With 49.5 random bits a collision is practically impossible; the unique index is the
        // real guarantee, this loop only avoids surfacing that as an error.
        while (true)
        {
            var comment = PaymentComment.New();
            if (!await db.Orders.AnyAsync(o => o.PaymentComment == comment, cancellationToken)) return comment;
        }
    }
}
