using Marketplace.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Marketplace.Migrations.PostgreSql;

/// <summary>Lets `dotnet ef migrations add` build the model for this provider without starting the service.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ApplicationDbContext>
{
    public ApplicationDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ApplicationDbContext>();
        new DatabaseOptions(DatabaseProvider.PostgreSql, "Host=localhost;Database=marketplace_design;Username=postgres").Configure(builder);
        return new ApplicationDbContext(builder.Options);
    }
}
