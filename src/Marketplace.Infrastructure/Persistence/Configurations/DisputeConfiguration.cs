using Marketplace.Domain.Accounts;
using Marketplace.Domain.Disputes;
using Marketplace.Domain.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class DisputeConfiguration : IEntityTypeConfiguration<Dispute>
{
    public void Configure(EntityTypeBuilder<Dispute> builder)
    {
        builder.ToTable("disputes");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Description).HasMaxLength(Dispute.MaxTextLength).IsRequired();
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.Ignore(d => d.IsOpen);
        builder.Ignore(d => d.DomainEvents);
        builder.Ignore(d => d.OwedAfterDecision);
        builder.HasIndex(d => d.OrderId);
        builder.HasIndex(d => d.BuyerId);
        builder.HasIndex(d => d.SellerId);
        builder.HasIndex(d => new { d.Status, d.SellerRespondBy });
        builder.HasOne<Order>().WithMany().HasForeignKey(d => d.OrderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(d => d.BuyerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(d => d.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(d => d.Events).WithOne().HasForeignKey(e => e.DisputeId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(d => d.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class DisputeEventConfiguration : IEntityTypeConfiguration<DisputeEvent>
{
    public void Configure(EntityTypeBuilder<DisputeEvent> builder)
    {
        builder.ToTable("dispute_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Text).HasMaxLength(Dispute.MaxTextLength).IsRequired();
        builder.Property(e => e.Data).HasMaxLength(64);
        // Append-only and gap-free per dispute: two writers cannot both add step N.
        builder.HasIndex(e => new { e.DisputeId, e.Sequence }).IsUnique();
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Marketplace.Domain.Payments.Refund>
{
    public void Configure(EntityTypeBuilder<Marketplace.Domain.Payments.Refund> builder)
    {
        builder.ToTable("refunds");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.TransactionId).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Currency).HasMaxLength(3).IsRequired();
        builder.Property(r => r.RecipientAccount).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Raw).HasMaxLength(Marketplace.Domain.Payments.Refund.MaxRawLength);
        // One outgoing transfer refunds once, whatever order or dispute it is reported for.
        builder.HasIndex(r => new { r.WalletId, r.TransactionId }).IsUnique();
        builder.HasIndex(r => r.OrderId);
        builder.HasOne<Order>().WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Marketplace.Domain.Wallets.Wallet>().WithMany().HasForeignKey(r => r.WalletId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SellerRatingConfiguration : IEntityTypeConfiguration<Marketplace.Domain.Reputation.SellerRating>
{
    public void Configure(EntityTypeBuilder<Marketplace.Domain.Reputation.SellerRating> builder)
    {
        builder.ToTable("seller_ratings", table => table.HasCheckConstraint("ck_seller_ratings_stars", "\"Stars\" BETWEEN 1 AND 5"));
        builder.HasKey(r => r.OrderId); // once per order, enforced by the database
        builder.Property(r => r.OrderId).ValueGeneratedNever();
        builder.Property(r => r.Comment).HasMaxLength(Marketplace.Domain.Reputation.SellerRating.MaxCommentLength);
        builder.HasIndex(r => r.SellerId);
        builder.HasOne<Order>().WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(r => r.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(r => r.BuyerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RefundRequestConfiguration : IEntityTypeConfiguration<Marketplace.Domain.Payments.RefundRequest>
{
    public void Configure(EntityTypeBuilder<Marketplace.Domain.Payments.RefundRequest> builder)
    {
        builder.ToTable("refund_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.RecipientAccount).HasMaxLength(64).IsRequired();
        builder.Property(r => r.Currency).HasMaxLength(3).IsRequired();
        builder.Property(r => r.PaymentKey).HasMaxLength(64).IsRequired();
        builder.Property(r => r.TransactionId).HasMaxLength(64);
        // One pending request per dispute: two clicks at once cannot send two refunds.
        builder.HasIndex(r => r.DisputeId).IsUnique().HasFilter("\"CompletedAt\" IS NULL");
        builder.HasOne<Dispute>().WithMany().HasForeignKey(r => r.DisputeId).OnDelete(DeleteBehavior.Restrict);
    }
}
