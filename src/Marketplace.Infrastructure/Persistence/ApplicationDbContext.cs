using Marketplace.Application.Common.Events;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Common;
using Marketplace.Domain.Accounts;
using Marketplace.Domain.Disputes;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Domain.Wallets;
using Marketplace.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Marketplace.Infrastructure.Persistence;

/// <param name="events">Runs domain event handlers before each save; absent at design time (migrations).</param>
/// <param name="catalog">Told of stock written outside EF Core's commands; absent at design time.</param>
public sealed class ApplicationDbContext(
    DbContextOptions<ApplicationDbContext> options, IDomainEventDispatcher? events = null, CatalogChanges? catalog = null)
    : DbContext(options), IApplicationDbContext, IDataProtectionKeyContext
{
    /// <summary>Handlers may raise further events (a restock delivers); a chain longer than this is a bug.</summary>
    private const int MaxEventRounds = 8;

    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Wallet> Wallets => Set<Wallet>();
    public DbSet<Listing> Listings => Set<Listing>();
    public DbSet<ListingItem> ListingItems => Set<ListingItem>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderHistoryEntry> OrderHistory => Set<OrderHistoryEntry>();
    public DbSet<IncomingPayment> IncomingPayments => Set<IncomingPayment>();
    public DbSet<ItemReveal> ItemReveals => Set<ItemReveal>();
    public DbSet<Dispute> Disputes => Set<Dispute>();
    public DbSet<DisputeEvent> DisputeEvents => Set<DisputeEvent>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<RefundRequest> RefundRequests => Set<RefundRequest>();
    public DbSet<Marketplace.Domain.Reputation.SellerRating> SellerRatings => Set<Marketplace.Domain.Reputation.SellerRating>();
    public DbSet<Marketplace.Domain.Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Marketplace.Domain.Webhooks.WebhookEndpoint>();
    public DbSet<Marketplace.Domain.Webhooks.WebhookEvent> WebhookEvents => Set<Marketplace.Domain.Webhooks.WebhookEvent>();
    public DbSet<Marketplace.Domain.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Marketplace.Domain.Webhooks.WebhookDelivery>();

    /// <summary>Not on the application port: only start-up reads or writes it.</summary>
    public DbSet<DatabaseModeMarker> DatabaseModeMarkers => Set<DatabaseModeMarker>();

    /// <summary>Not on the application port: only <see cref="Payments.DatabaseRequestBudget"/> reads or writes it.</summary>
    public DbSet<RailRequestBudget> RailRequestBudgets => Set<RailRequestBudget>();

    /// <summary>Not on the application port: only <see cref="Security.SecretKeyGuard"/> reads or writes it.</summary>
    public DbSet<SecretKeyRecord> SecretKeys => Set<SecretKeyRecord>();

    /// <summary>Not on the application port: only <see cref="Idempotency.IdempotencyStore"/> reads or writes it.</summary>
    public DbSet<Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Idempotency.IdempotencyRecord>();

    /// <summary>ASP.NET Core Data Protection's key ring (bearer tokens), shared by every instance; elements encrypted by <see cref="Security.SecretXmlEncryptor"/>.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public bool IsUniqueViolation(DbUpdateException exception) => DatabaseErrors.IsUniqueViolation(exception);

    public Task<IReadOnlyList<Guid>?> LockBuyerForOrderAsync(Guid buyerId, DateTimeOffset now, CancellationToken cancellationToken) =>
        OrderPlacementStatements.LockBuyerAsync(this, buyerId, now, cancellationToken);

    public async Task<Application.Orders.Stock.NewOrderReservation> ReserveForNewOrderAsync(
        Guid listingId, int listingVersion, Guid orderId, int quantity, CancellationToken cancellationToken)
    {
        var reservation = await OrderPlacementStatements.ReserveAsync(this, listingId, listingVersion, orderId, quantity, cancellationToken);
        // The gate's batch is not an EF Core command, so the catalog interceptor does not see it: tell the catalog here.
        if (reservation.Reserved) catalog?.Written(Database.CurrentTransaction?.GetDbTransaction());
        return reservation;
    }

    public IQueryable<Order>? OrdersForUpdate(IReadOnlyCollection<Guid> orderIds) =>
        Database.IsNpgsql()
            ? Orders.FromSql($"SELECT * FROM orders WHERE \"Id\" = ANY({orderIds.ToArray()}) ORDER BY \"Id\" FOR UPDATE")
            : null;

    public Task<IReadOnlySet<string>> InsertNewIncomingPaymentsAsync(IReadOnlyList<IncomingPayment> payments, CancellationToken cancellationToken) =>
        IncomingPaymentInserts.InsertNewAsync(this, payments, cancellationToken);

    /// <summary>
    /// Saves after dispatching the domain events of tracked aggregates, all in one transaction: the
    /// state change and what its handlers did (stock moved) commit together or not at all.
    /// </summary>
    public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        if (events is null || !HasEvents()) return await SaveDetectedAsync(cancellationToken);
        if (Database.CurrentTransaction is not null)
        {
            await DispatchEventsAsync(cancellationToken);
            return await SaveDetectedAsync(cancellationToken);
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await DispatchEventsAsync(cancellationToken);
        var written = await SaveDetectedAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>
    /// A caller that turned automatic change detection off (the matcher, over a page of orders whose
    /// handlers read DbSet.Local often) still saves every change: detected here once, after the handlers ran.
    /// </summary>
    private async Task<int> SaveDetectedAsync(CancellationToken cancellationToken)
    {
        if (!ChangeTracker.AutoDetectChangesEnabled) ChangeTracker.DetectChanges();
        // Taken whether the save succeeds or not: a failed unit of work is decided again (and queues again) or abandoned.
        var sales = _itemSales.ToList();
        _itemSales.Clear();
        if (_setBased)
        {
            if (await SetBasedSave.TrySaveAsync(this, catalog, _newPayments, sales, cancellationToken) is { } result)
            {
                _inserted = result.Inserted;
                return result.Written;
            }

            _inserted = await IncomingPaymentInserts.InsertNewAsync(this, _newPayments, cancellationToken);
        }

        var saved = await base.SaveChangesAsync(cancellationToken);
        await ItemSales.WriteOneByOneAsync(this, sales, cancellationToken);
        return saved;
    }

    private readonly List<ItemSale> _itemSales = [];

    public void SellReservedItemsOnSave(Guid orderId, int quantity, DateTimeOffset soldAt) => _itemSales.Add(new ItemSale(orderId, quantity, soldAt));

    /// <summary>Set while <see cref="SaveChangesSetBasedAsync"/> saves.</summary>
    private bool _setBased;

    private IReadOnlyList<IncomingPayment> _newPayments = [];
    private IReadOnlySet<string>? _inserted;

    /// <summary>
    /// As <see cref="SaveChangesAsync"/> (domain events first), but on PostgreSQL the payments' insert and each entity
    /// type's rows (one statement per changed column set, <see cref="SetBasedSave"/>) go in one round trip; elsewhere,
    /// or when the tracker holds what that does not write, the insert then the ordinary save.
    /// </summary>
    public async Task<IReadOnlySet<string>> SaveChangesSetBasedAsync(IReadOnlyList<IncomingPayment> newPayments, CancellationToken cancellationToken)
    {
        _setBased = true;
        _newPayments = newPayments;
        _inserted = null;
        try
        {
            await SaveChangesAsync(cancellationToken);
            return _inserted ?? new HashSet<string>(StringComparer.Ordinal);
        }
        finally
        {
            _setBased = false;
            _newPayments = [];
            _inserted = null;
        }
    }

    private bool HasEvents() => ChangeTracker.Entries<IHasDomainEvents>().Any(e => e.Entity.DomainEvents.Count > 0);

    private async Task DispatchEventsAsync(CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxEventRounds; round++)
        {
            var raised = ChangeTracker.Entries<IHasDomainEvents>()
                .Where(e => e.Entity.DomainEvents.Count > 0)
                .SelectMany(e =>
                {
                    var list = e.Entity.DomainEvents.ToList();
                    e.Entity.ClearDomainEvents();
                    return list;
                })
                .ToList();
            if (raised.Count == 0) return;
            foreach (var domainEvent in raised) await events!.DispatchAsync(domainEvent, cancellationToken);
        }

        throw new InvalidOperationException($"Domain events were still being raised after {MaxEventRounds} rounds.");
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ApplicationDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        if (Database.IsSqlite())
        {
            // SQLite has no timestamp type; stored as text, DateTimeOffset could not be compared
            // or ordered in SQL. All our times are UTC, so a sortable integer is exact.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
