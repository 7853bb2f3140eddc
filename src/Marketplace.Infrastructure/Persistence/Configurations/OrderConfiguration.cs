using Marketplace.Domain.Accounts;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Currency).HasMaxLength(3).IsRequired();
        builder.Property(o => o.PaymentProvider).HasMaxLength(32).IsRequired();
        builder.Property(o => o.PaymentAccount).HasMaxLength(64).IsRequired();
        builder.Property(o => o.PaymentComment).HasMaxLength(32).IsRequired();
        builder.Property(o => o.PendingTransactionId).HasMaxLength(64);
        builder.HasIndex(o => o.PaymentComment).IsUnique();
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.Ignore(o => o.Total);
        builder.Ignore(o => o.AmountDue);
        builder.Ignore(o => o.DomainEvents);
        builder.HasIndex(o => new { o.WalletId, o.Status });
        builder.HasIndex(o => new { o.Status, o.ExpiresAt });
        // The completion job's scan: delivered, not complete, protection over.
        builder.HasIndex(o => new { o.Status, o.CompletedAt, o.ProtectionEndsAt });
        builder.HasIndex(o => o.BuyerId);
        builder.HasIndex(o => o.SellerId);
        builder.HasOne<Account>().WithMany().HasForeignKey(o => o.BuyerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(o => o.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Listing>().WithMany().HasForeignKey(o => o.ListingId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Wallet>().WithMany().HasForeignKey(o => o.WalletId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(o => o.History).WithOne().HasForeignKey(c => c.OrderId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(o => o.History).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class OrderHistoryEntryConfiguration : IEntityTypeConfiguration<OrderHistoryEntry>
{
    public void Configure(EntityTypeBuilder<OrderHistoryEntry> builder)
    {
        builder.ToTable("order_history");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Reason).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Rule).HasMaxLength(64);
        builder.Property(c => c.TransactionId).HasMaxLength(64);
        builder.HasIndex(c => new { c.OrderId, c.At });
    }
}

internal sealed class ItemRevealConfiguration : IEntityTypeConfiguration<ItemReveal>
{
    public void Configure(EntityTypeBuilder<ItemReveal> builder)
    {
        builder.ToTable("item_reveals");
        builder.HasKey(r => r.ItemId); // one row per item: the first reveal only
        builder.Property(r => r.ItemId).ValueGeneratedNever();
        builder.Property(r => r.ClientAddress).HasMaxLength(64);
        builder.Property(r => r.UserAgent).HasMaxLength(ItemReveal.MaxUserAgentLength);
        builder.HasIndex(r => r.OrderId);
        builder.HasOne<ListingItem>().WithMany().HasForeignKey(r => r.ItemId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Order>().WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Restrict);
    }
}
