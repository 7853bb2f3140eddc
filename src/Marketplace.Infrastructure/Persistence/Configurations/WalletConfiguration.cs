using Marketplace.Domain.Accounts;
using Marketplace.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class WalletConfiguration : IEntityTypeConfiguration<Wallet>
{
    public void Configure(EntityTypeBuilder<Wallet> builder)
    {
        builder.ToTable("wallets");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.Provider).HasMaxLength(32).IsRequired();
        builder.Property(w => w.Account).HasMaxLength(64).IsRequired();
        builder.Property(w => w.EncryptedToken).HasMaxLength(2048).IsRequired();
        builder.Property(w => w.LastSyncError).HasMaxLength(500);
        builder.Property(w => w.PushSubscriptionId).HasMaxLength(128);
        builder.Property(w => w.EncryptedPushKey).HasMaxLength(1024);
        builder.Property(w => w.PushError).HasMaxLength(500);
        builder.Property(w => w.LeaseHolder).HasMaxLength(100);
        builder.Ignore(w => w.PushEnabled);
        builder.Ignore(w => w.DomainEvents);
        // The history cursor is one small JSON document, read and written with the wallet row.
        builder.Property(w => w.Cursor)
            .HasConversion(HistoryCursorJson.Converter, HistoryCursorJson.Comparer)
            .HasColumnName("HistoryCursor")
            .IsRequired();
        // A wallet is connected once: its payment history can only be watched for one seller.
        builder.HasIndex(w => new { w.Provider, w.Account }).IsUnique();
        builder.HasIndex(w => w.OwnerId);
        builder.HasOne<Account>().WithMany().HasForeignKey(w => w.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}
