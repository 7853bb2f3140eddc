using Marketplace.Infrastructure.Persistence;
using Npgsql;

namespace Marketplace.IntegrationTests.Hosting;

/// <summary>PostgreSQL connections skip the pool reset and prepare frequent statements, unless the operator's connection string says otherwise.</summary>
public sealed class PooledConnectionStringTests
{
    [Fact]
    public void Unset_options_get_the_services_defaults()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseOptions.PooledConnectionString("Host=db;Database=marketplace;Username=app"));
        Assert.True(built.NoResetOnClose);
        Assert.Equal(64, built.MaxAutoPrepare);
        Assert.Equal("db", built.Host);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=db;noresetonclose=false;MAXAUTOPREPARE=0")]
    public void An_operators_own_values_are_kept(string connectionString)
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseOptions.PooledConnectionString(connectionString));
        Assert.False(built.NoResetOnClose);
        Assert.Equal(0, built.MaxAutoPrepare);
    }
}
