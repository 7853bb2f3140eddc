using Marketplace.Domain.Accounts;
using Marketplace.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints", t =>
            t.HasCheckConstraint("ck_webhook_endpoints_slot", $"\"Slot\" BETWEEN 1 AND {WebhookEndpoint.MaxPerAccount}"));
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Url).HasMaxLength(WebhookEndpoint.MaxUrlLength).IsRequired();
        builder.Property(e => e.EventTypes).HasMaxLength(1024).IsRequired();
        builder.Property(e => e.Description).HasMaxLength(WebhookEndpoint.MaxDescriptionLength);
        builder.Property(e => e.EncryptedSecret).IsRequired();
        builder.Property(e => e.DisabledReason).HasMaxLength(500);
        builder.Ignore(e => e.EventTypeList);
        // The per-account cap, held by the database: ten slots, each taken once.
        builder.HasIndex(e => new { e.OwnerId, e.Slot }).IsUnique();
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.ToTable("webhook_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(40).ValueGeneratedNever();
        builder.Property(e => e.Type).HasMaxLength(WebhookEvent.MaxTypeLength).IsRequired();
        builder.Property(e => e.Payload).IsRequired();
        builder.HasIndex(e => e.CreatedAt); // the purge
        builder.HasIndex(e => new { e.AccountId, e.CreatedAt });
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.EventId).HasMaxLength(40).IsRequired();
        builder.Property(d => d.LastError).HasMaxLength(WebhookDelivery.MaxErrorLength);
        builder.Property(d => d.ResponseExcerpt).HasMaxLength(WebhookDelivery.MaxExcerptLength);
        // The relay's claim: due pending deliveries, oldest due first.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        // The delivery log of an endpoint, newest first.
        builder.HasIndex(d => new { d.EndpointId, d.CreatedAt });
        builder.HasIndex(d => d.EventId);
        builder.HasOne<WebhookEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
