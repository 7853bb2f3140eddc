using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Marketplace.Infrastructure.Persistence;

public sealed class ApplicationDbContext(DbContextOptions<ApplicationDbContext> options)
    : DbContext(options), IApplicationDbContext
{
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Session> Sessions => Set<Session>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<Wallet> Wallets => Set<Wallet>();
    public DbSet<Listing> Listings => Set<Listing>();
    public DbSet<ListingItem> ListingItems => Set<ListingItem>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderStatusChange> OrderStatusChanges => Set<OrderStatusChange>();
    public DbSet<IncomingPayment> IncomingPayments => Set<IncomingPayment>();

    /// <summary>Not on the application port: only start-up reads or writes it.</summary>
    public DbSet<DatabaseModeMarker> DatabaseModeMarkers => Set<DatabaseModeMarker>();

    /// <summary>Not on the application port: only <see cref="Payments.DatabaseRequestBudget"/> reads or writes it.</summary>
    public DbSet<RailRequestBudget> RailRequestBudgets => Set<RailRequestBudget>();

    public bool IsUniqueViolation(DbUpdateException exception) => DatabaseErrors.IsUniqueViolation(exception);

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
