using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class RailRequestBudgetConfiguration : IEntityTypeConfiguration<RailRequestBudget>
{
    public const string Table = "rail_request_budgets";
    public const int MaxKeyLength = 80;

    public void Configure(EntityTypeBuilder<RailRequestBudget> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(b => b.Key);
        builder.Property(b => b.Key).HasMaxLength(MaxKeyLength).ValueGeneratedNever();
        builder.Property(b => b.RecentRequests).IsRequired();
    }
}
