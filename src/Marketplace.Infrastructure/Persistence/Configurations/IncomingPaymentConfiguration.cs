using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class IncomingPaymentConfiguration : IEntityTypeConfiguration<IncomingPayment>
{
    public void Configure(EntityTypeBuilder<IncomingPayment> builder)
    {
        builder.ToTable("incoming_payments");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Provider).HasMaxLength(32).IsRequired();
        builder.Property(p => p.ProviderTransactionId).HasMaxLength(64).IsRequired();
        builder.Property(p => p.Currency).HasMaxLength(3).IsRequired();
        builder.Property(p => p.Comment).HasMaxLength(500);
        builder.Property(p => p.SenderAccount).HasMaxLength(64);
        builder.Property(p => p.Raw).HasMaxLength(IncomingPayment.MaxRawLength);
        builder.Property(p => p.ResolutionNote).HasMaxLength(IncomingPayment.MaxNoteLength);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.WaitsForSeller);
        builder.Ignore(p => p.CanBeAttached);
        // The seller's reconciliation view and inbox: a wallet's transfers, newest first.
        builder.HasIndex(p => new { p.WalletId, p.OccurredAt });
        // One transfer is recorded once, so it can pay at most one order: the core money invariant.
        builder.HasIndex(p => new { p.Provider, p.ProviderTransactionId }).IsUnique();
        builder.HasIndex(p => p.OrderId, "ix_incoming_payments_order_id");
        // And an order is paid by at most one accepted transfer; rejected ones stay as evidence.
        builder.HasIndex(p => p.OrderId, "ux_incoming_payments_accepted_order")
            .IsUnique()
            .HasFilter("\"Outcome\" = 'Accepted'");
        builder.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Wallet>().WithMany().HasForeignKey(p => p.WalletId).OnDelete(DeleteBehavior.Restrict);
    }
}
