using Marketplace.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class SecretKeyRecordConfiguration : IEntityTypeConfiguration<SecretKeyRecord>
{
    public void Configure(EntityTypeBuilder<SecretKeyRecord> builder)
    {
        builder.ToTable("secret_keys");
        builder.HasKey(k => k.KeyId);
        builder.Property(k => k.KeyId).HasMaxLength(64);
        builder.Property(k => k.Check).HasMaxLength(64).IsRequired();
        builder.Property(k => k.RegisteredBy).HasMaxLength(200).IsRequired();
        // At most one fingerprint key, enforced by the database when two instances register at once.
        builder.HasIndex(k => k.Fingerprints).IsUnique().HasFilter("\"Fingerprints\"");
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.FriendlyName).HasMaxLength(100);
        builder.Property(k => k.Xml).IsRequired();
    }
}
