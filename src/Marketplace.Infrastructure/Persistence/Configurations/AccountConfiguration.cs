using Marketplace.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Marketplace.Infrastructure.Persistence.Configurations;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Email).HasMaxLength(254).IsRequired();
        builder.HasIndex(a => a.Email).IsUnique();
        builder.Property(a => a.PasswordHash).HasMaxLength(256).IsRequired();
        builder.Property(a => a.FailedPasswordCount).HasDefaultValue(0);
        builder.Property(a => a.DisplayName).HasMaxLength(DisplayName.MaxLength);
        // The key maps each character of the name to at most one, so it is never longer than the name; the
        // column leaves room should the folding ever map a character to several.
        builder.Property(a => a.DisplayNameKey).HasMaxLength(4 * DisplayName.MaxLength);
        builder.HasIndex(a => a.DisplayNameKey).IsUnique();
    }
}
