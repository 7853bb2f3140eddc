using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class DatabaseModeMarkerConfiguration : IEntityTypeConfiguration<DatabaseModeMarker>
{
    public void Configure(EntityTypeBuilder<DatabaseModeMarker> builder)
    {
        builder.ToTable("database_mode", table =>
            table.HasCheckConstraint("ck_database_mode_single_row", $"\"Id\" = {DatabaseModeMarker.SingletonId}"));
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Reason).HasMaxLength(200).IsRequired();
    }
}
