using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Orders.Stock;
using Marketplace.Application.Payments;
using Marketplace.Application.Payments.Rails;
using Marketplace.Application.Webhooks;
using Marketplace.Domain.Common;
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
    OperatingMode mode, StockLedger stock, IRailRegistry rails, WebhookOutbox webhooks)
    : ICommandHandler<PlaceOrderCommand, OrderDto>
{
    /// <summary>Attempts when a race costs the attempt (a payment-comment collision, the listing edited meanwhile); each is rare.</summary>
    private const int MaxAttempts = 3;

    public async ValueTask<OrderDto> Handle(PlaceOrderCommand command, CancellationToken cancellationToken)
    {
        var buyerId = currentUser.RequireAccountId();
        for (var attempt = 1; ; attempt++)
        {
            var listing = await ReadOrderableAsync(command, buyerId, cancellationToken);
            try
            {
                return await PlaceAsync(command, buyerId, listing, cancellationToken);
            }
            catch (PlacementRaceLost) when (attempt < MaxAttempts)
            {
                db.ChangeTracker.Clear(); // the lost attempt's order was rolled back with its transaction
            }
            catch (PlacementRaceLost)
            {
                throw new ConflictException("order.listing_changing", "The listing kept changing while the order was placed; try again.");
            }
        }
    }

    /// <summary>
    /// The listing and its wallet in one read, before any lock: everything that can refuse the order
    /// without touching stock is decided here, so the transaction holds its locks only as long as it must.
    /// </summary>
    private async Task<Orderable> ReadOrderableAsync(PlaceOrderCommand command, Guid buyerId, CancellationToken cancellationToken)
    {
        var listing = await db.Listings
                          .Where(l => l.Id == command.ListingId)
                          .Join(db.Wallets, l => l.WalletId, w => w.Id, (l, w) => new Orderable(
                              l.Id, l.SellerId, l.Status, l.Version, l.Price, l.Currency, l.PaymentWindowMinutes, l.MaxQuantityPerOrder,
                              l.ProtectionHours, new PaymentDestination(w.Id, w.Provider, w.Account, w.Sandbox), w.Status))
                          .FirstOrDefaultAsync(cancellationToken)
                      ?? throw new NotFoundException("Listing", command.ListingId);
        var wallet = listing.Destination;
        EnsureOnSale(listing.Status);
        if (listing.SellerId == buyerId)
            throw new ConflictException("order.own_listing", "You cannot buy from your own listing.");
        if (command.Quantity > listing.MaxQuantityPerOrder)
            throw new UnprocessableException("order.quantity_above_listing_max",
                $"This listing sells at most {listing.MaxQuantityPerOrder} item(s) per order.", "quantity");
        // A payment into a wallet we cannot read could never be matched: do not take the buyer's money.
        // Play money never buys real goods and real money never pays into a sandbox wallet.
        if (wallet.Sandbox != mode.IsSandbox)
            throw new ConflictException("order.wrong_mode", "This listing's wallet belongs to another operating mode (sandbox or live).");
        if (listing.WalletStatus != WalletStatus.Active)
            throw new ConflictException("order.wallet_unavailable", "The seller's wallet must be reconnected before this listing can be bought.");
        // Listings are checked when created; one created before that rule (or before its rail narrowed what it
        // receives) must not take a buyer's money in a currency the seller's wallet cannot accept.
        if (!ReceivableCurrencies.CanReceive(rails, wallet.Provider, listing.Currency, out _))
            throw new ConflictException("order.currency_not_receivable",
                $"The seller's wallet cannot be paid in {listing.Currency}, this listing's currency.");
        return listing;
    }

    /// <summary>
    /// One placement in its own transaction, in four round trips on PostgreSQL: the buyer's lock with the
    /// unpaid count, the order row (with its history and webhook events), the stock gate with the item
    /// reservation, the commit. The listing row is locked for the last two only, so buyers of one hot
    /// listing queue for as little as possible.
    /// </summary>
    private async Task<OrderDto> PlaceAsync(PlaceOrderCommand command, Guid buyerId, Orderable listing, CancellationToken cancellationToken)
    {
        // The recipients' webhook endpoints, read before the locks rather than while the events are written.
        await webhooks.PrepareAsync([listing.SellerId, buyerId], cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A failed save costs the whole attempt (retried from the start), so no savepoint around it: two round trips fewer.
        db.Database.AutoSavepointsEnabled = false;
        var now = clock.GetUtcNow();

        // The per-buyer lock, taken first: an update of the buyer's own account row holds its row
        // lock until commit (PostgreSQL; SQLite serialises all writers), so a parallel placement by the
        // same buyer waits here and then counts this one. Login and password change also write this row
        // (failed-attempt counters), but in transactions of their own that lock nothing else, so no cycle.
        var unpaid = await db.LockBuyerForOrderAsync(buyerId, now, cancellationToken) ?? throw new UnauthorizedException();
        EnsureUnderUnpaidCaps(unpaid, listing.Id);

        // The order goes in before the gate (nothing references it until then): the listing row is then locked
        // only for the gate and the commit. A payment-comment collision (49.5 random bits: practically never)
        // is left to the unique index and costs one attempt.
        var order = new Order(
            Guid.NewGuid(), buyerId, listing.SellerId, listing.Id,
            listing.Destination, command.Quantity, new Money(listing.Price, listing.Currency),
            PaymentComment.New(), now, TimeSpan.FromMinutes(listing.PaymentWindowMinutes), listing.ProtectionHours);
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            throw new PlacementRaceLost();
        }

        // Priced from the version read above: an edit (price, window, pause) committed since refuses the gate.
        var reservation = await stock.ReserveForNewOrderAsync(listing.Id, listing.Version, order.Id, command.Quantity, cancellationToken);
        if (!reservation.Reserved)
        {
            await transaction.RollbackAsync(cancellationToken);
            await ExplainRefusalAsync(listing, command.Quantity, cancellationToken);
        }

        if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(cancellationToken); // the stock-low webhook, when the gate crossed it
        await transaction.CommitAsync(cancellationToken);
        return mapper.ToDto(order, buyerId);
    }

    /// <summary>The gate said no; says why (paused, archived, out of stock), or asks for another attempt when the listing was edited.</summary>
    private async Task ExplainRefusalAsync(Orderable read, int quantity, CancellationToken cancellationToken)
    {
        var now = await db.Listings.AsNoTracking().Where(l => l.Id == read.Id)
            .Select(l => new { l.Status, l.Version }).SingleAsync(cancellationToken);
        EnsureOnSale(now.Status);
        if (now.Version != read.Version) throw new PlacementRaceLost();
        throw new ConflictException("order.out_of_stock", $"Not enough stock to reserve {quantity} item(s).");
    }

    private static void EnsureOnSale(ListingStatus status)
    {
        if (status == ListingStatus.Paused)
            throw new ConflictException("order.listing_paused", "The seller has paused this listing; it cannot be ordered now.");
        if (status == ListingStatus.Archived)
            throw new ConflictException("order.listing_archived", "This listing is archived and can no longer be ordered.");
    }

    private void EnsureUnderUnpaidCaps(IReadOnlyList<Guid> unpaidListings, Guid listingId)
    {
        var caps = limits.Value;
        if (unpaidListings.Count >= caps.MaxUnpaidOrdersPerBuyer)
            throw new ConflictException("order.too_many_unpaid",
                $"You already have {unpaidListings.Count} unpaid order(s), the most allowed is {caps.MaxUnpaidOrdersPerBuyer}: pay or cancel one first.");
        var onListing = unpaidListings.Count(id => id == listingId);
        if (onListing >= caps.MaxUnpaidOrdersPerBuyerPerListing)
            throw new ConflictException("order.too_many_unpaid",
                $"You already have {onListing} unpaid order(s) for this listing, the most allowed is {caps.MaxUnpaidOrdersPerBuyerPerListing}: pay or cancel one first.");
    }

    /// <summary>What placing an order needs of the listing and its wallet: nothing more is read (no description, no token).</summary>
    private sealed record Orderable(
        Guid Id, Guid SellerId, ListingStatus Status, int Version, decimal Price, string Currency, int PaymentWindowMinutes,
        int MaxQuantityPerOrder, int ProtectionHours, PaymentDestination Destination, WalletStatus WalletStatus);

    /// <summary>This attempt lost a rare race (comment collision, listing edited meanwhile) and was rolled back; the next may win.</summary>
    private sealed class PlacementRaceLost : Exception;
}
