using Marketplace.Domain.Accounts;
using Marketplace.Domain.Disputes;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Marketplace.Application.Common.Interfaces;

/// <summary>
/// The persistence port. Handlers query EF Core directly (no repository layer: LINQ already is
/// one); the database provider behind it is PostgreSQL or SQLite.
/// </summary>
public interface IApplicationDbContext
{
    DbSet<Account> Accounts { get; }
    DbSet<Session> Sessions { get; }
    DbSet<RefreshToken> RefreshTokens { get; }
    DbSet<ApiKey> ApiKeys { get; }
    DbSet<Wallet> Wallets { get; }
    DbSet<Listing> Listings { get; }
    DbSet<ListingItem> ListingItems { get; }
    DbSet<Order> Orders { get; }
    DbSet<OrderHistoryEntry> OrderHistory { get; }
    DbSet<IncomingPayment> IncomingPayments { get; }
    DbSet<ItemReveal> ItemReveals { get; }
    DbSet<Dispute> Disputes { get; }
    DbSet<DisputeEvent> DisputeEvents { get; }
    DbSet<Refund> Refunds { get; }
    DbSet<RefundRequest> RefundRequests { get; }
    DbSet<Marketplace.Domain.Reputation.SellerRating> SellerRatings { get; }
    DbSet<Marketplace.Domain.Webhooks.WebhookEndpoint> WebhookEndpoints { get; }
    DbSet<Marketplace.Domain.Webhooks.WebhookEvent> WebhookEvents { get; }
    DbSet<Marketplace.Domain.Webhooks.WebhookDelivery> WebhookDeliveries { get; }

    DatabaseFacade Database { get; }
    Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker ChangeTracker { get; }

    Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<TEntity> Entry<TEntity>(TEntity entity) where TEntity : class;

    /// <summary>Saves, after running the handlers of every domain event the tracked aggregates raised (in one transaction with the save).</summary>
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a page of payments and saves: inserts <paramref name="newPayments"/> as
    /// <see cref="InsertNewIncomingPaymentsAsync"/> does (a repeat skipped), then saves as <see cref="SaveChangesAsync"/>
    /// does (domain events first, the same rows and concurrency checks). Where the database allows, it is all one round
    /// trip, and the rows of each entity type are written by one statement per changed column set instead of one per row:
    /// for a unit of work that changes many aggregates alike. Elsewhere (SQLite), the insert then the ordinary save.
    /// Returns the transaction ids inserted; the caller decides, before committing, whether a skipped one voids its work.
    /// </summary>
    Task<IReadOnlySet<string>> SaveChangesSetBasedAsync(IReadOnlyList<IncomingPayment> newPayments, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the order's reserved items sold at the next save, after the tracked changes are written: one statement
    /// for every order queued so (not one per item, and the items are never read). The save fails, and its
    /// transaction with it, unless each order held exactly <paramref name="quantity"/> reserved items.
    /// </summary>
    void SellReservedItemsOnSave(Guid orderId, int quantity, DateTimeOffset soldAt);

    /// <summary>
    /// Inserts, in one statement and in the current transaction, the payments whose transfer is not recorded
    /// yet (unique per rail and transaction id: a repeat is skipped, never an error; a concurrent insert of
    /// the same transfer waits for the other transaction and is then skipped). The rows are not tracked.
    /// Returns the transaction ids inserted.
    /// </summary>
    Task<IReadOnlySet<string>> InsertNewIncomingPaymentsAsync(IReadOnlyList<IncomingPayment> payments, CancellationToken cancellationToken);

    /// <summary>
    /// The orders with these ids, read with their row locks taken in id order, in one round trip
    /// (PostgreSQL: <c>SELECT ... FOR UPDATE</c>); null where the database has no such read (SQLite, which
    /// serialises writers: a write takes its lock).
    /// </summary>
    IQueryable<Order>? OrdersForUpdate(IReadOnlyCollection<Guid> orderIds);

    /// <summary>
    /// Order placement's per-buyer lock: marks the buyer's account row (its row lock is held until commit, so
    /// one buyer's placements run one after another), then returns the listing of each of the buyer's orders
    /// still holding stock (for the unpaid caps), read after the lock so a placement committed meanwhile counts.
    /// Null when the account does not exist. One round trip on PostgreSQL.
    /// </summary>
    Task<IReadOnlyList<Guid>?> LockBuyerForOrderAsync(Guid buyerId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The stock gate of a new order (ADR 0003), in one round trip on PostgreSQL: takes
    /// <paramref name="quantity"/> off the listing's counter only while the listing is on sale, still at
    /// <paramref name="listingVersion"/> (the version the order was priced from) and has enough, which also
    /// locks the listing row until commit; then reserves that many of its oldest available items for the
    /// order (<c>FOR UPDATE SKIP LOCKED</c>); a refused gate reserves nothing. Either way the caller commits
    /// only when reserved.
    /// </summary>
    Task<Orders.Stock.NewOrderReservation> ReserveForNewOrderAsync(
        Guid listingId, int listingVersion, Guid orderId, int quantity, CancellationToken cancellationToken);

    /// <summary>True when the failure is a unique-constraint violation (the provider-specific check lives in Infrastructure).</summary>
    bool IsUniqueViolation(DbUpdateException exception);
}
