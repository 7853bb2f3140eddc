using Marketplace.Domain.Accounts;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class ListingConfiguration : IEntityTypeConfiguration<Listing>
{
    public void Configure(EntityTypeBuilder<Listing> builder)
    {
        builder.ToTable("listings", t =>
        {
            t.HasCheckConstraint("ck_listings_available_count", "\"AvailableCount\" >= 0");
            t.HasCheckConstraint("ck_listings_max_quantity_per_order",
                $"\"MaxQuantityPerOrder\" BETWEEN {Listing.MinMaxQuantityPerOrder} AND {Listing.MaxMaxQuantityPerOrder}");
        });
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).ValueGeneratedNever();
        builder.Property(l => l.Title).HasMaxLength(200).IsRequired();
        builder.Property(l => l.Description).HasMaxLength(4000).IsRequired();
        builder.Property(l => l.Category).HasMaxLength(64).IsRequired();
        builder.Property(l => l.Currency).HasMaxLength(3).IsRequired();
        builder.Ignore(l => l.UnitPrice);
        builder.Ignore(l => l.IsOnSale);
        // Edits are optimistic: a save that finds another version than it read changes nothing (412 to the client).
        builder.Property(l => l.Version).IsConcurrencyToken();
        builder.HasIndex(l => new { l.Status, l.CreatedAt });
        // The catalog's other orders and filters: by price within a currency, and one seller's listings.
        builder.HasIndex(l => new { l.Status, l.Currency, l.PriceMinor });
        builder.HasIndex(l => new { l.SellerId, l.Status });
        builder.HasIndex(l => l.Category);
        builder.HasOne<Account>().WithMany().HasForeignKey(l => l.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Wallet>().WithMany().HasForeignKey(l => l.WalletId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ListingItemConfiguration : IEntityTypeConfiguration<ListingItem>
{
    public void Configure(EntityTypeBuilder<ListingItem> builder)
    {
        builder.ToTable("listing_items");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.EncryptedPayload).IsRequired();
        builder.Property(i => i.Fingerprint).HasMaxLength(64).IsRequired();
        // The database, not the handler, is what makes a key unique within a listing.
        builder.HasIndex(i => new { i.ListingId, i.Fingerprint }).IsUnique();
        builder.Property(i => i.KeyHash).HasMaxLength(64);
        // One key once per seller, whatever the listing; rows from before the key hash (null) are not compared.
        // KeyHash leads, so the same index answers "was this key ever sold, by anyone".
        builder.HasIndex(i => new { i.KeyHash, i.SellerId }).IsUnique().HasFilter("\"KeyHash\" IS NOT NULL")
            .HasDatabaseName("ux_listing_items_key_hash_seller");
        // The rows still without a key hash, for the start-up backfill: empty once it is done, so every later start
        // finds nothing to do without scanning the items.
        builder.HasIndex(i => i.Id).HasFilter("\"KeyHash\" IS NULL").HasDatabaseName("ix_listing_items_without_key_hash");
        builder.HasIndex(i => new { i.ListingId, i.CreatedAt });
        // Status then age: a reservation takes the oldest available items by an index range, never by
        // skipping the rows already sold or sorting the listing's stock.
        builder.HasIndex(i => new { i.ListingId, i.Status, i.CreatedAt, i.Id });
        builder.HasIndex(i => i.OrderId);
        builder.HasOne<Listing>().WithMany().HasForeignKey(i => i.ListingId).OnDelete(DeleteBehavior.Restrict);
    }
}
