using Marketplace.Infrastructure.Persistence;

namespace Marketplace.IntegrationTests.Listings;

/// <summary>Which statements move the catalog version: writes of what the catalog shows, and nothing else (SQL as EF Core and our stores send it).</summary>
public sealed class CatalogChangesTests
{
    [Theory]
    [InlineData("UPDATE listings AS l\nSET \"AvailableCount\" = l.\"AvailableCount\" + @p\nWHERE l.\"Id\" = @id")]
    [InlineData("UPDATE listings SET \"Title\" = @p0, \"Version\" = @p1\nWHERE \"Id\" = @p2 AND \"Version\" = @p3;")]
    [InlineData("INSERT INTO listings (\"Id\", \"AvailableCount\") VALUES (@p0, @p1);")]
    [InlineData("SAVEPOINT x;\nINSERT INTO orders (\"Id\") VALUES (@p0);\nUPDATE listings SET \"Status\" = @p1 WHERE \"Id\" = @p2;")]
    [InlineData("INSERT INTO seller_ratings (\"Id\", \"Stars\") VALUES (@p0, @p1);")]
    [InlineData("UPDATE wallets SET \"LastSyncError\" = @p0, \"Status\" = @p1\nWHERE \"Id\" = @p2;")]
    [InlineData("UPDATE wallets AS w\nSET \"Status\" = 'NeedsAttention'\nWHERE w.\"Id\" = @id")]
    [InlineData("UPDATE accounts SET \"DisplayName\" = @p0, \"DisplayNameKey\" = @p1\nWHERE \"Id\" = @p2;")]
    public void Writes_of_what_the_catalog_shows_move_it(string sql) => Assert.True(CatalogChanges.Touches(sql));

    [Theory]
    [InlineData("SELECT l.\"Id\" FROM listings AS l WHERE l.\"Status\" = 'Active'")]
    [InlineData("UPDATE listing_items SET \"Status\" = $1 WHERE \"Id\" = $2")]
    [InlineData("INSERT INTO orders (\"Id\", \"ListingId\") VALUES (@p0, @p1);")]
    [InlineData("UPDATE wallets SET \"LeaseExpiresAt\" = @p0, \"LeaseHolder\" = @p1\nWHERE \"Id\" = @p2 AND \"Status\" = @p3;")]
    [InlineData("UPDATE wallets AS w\nSET \"SyncedUpTo\" = @p\nWHERE w.\"Status\" = 'Active'")]
    [InlineData("INSERT INTO wallets (\"Id\", \"Status\") VALUES (@p0, @p1);")]
    [InlineData("UPDATE accounts SET \"LastOrderPlacedAt\" = $2 WHERE \"Id\" = $1")]
    [InlineData("UPDATE accounts SET \"FailedPasswordCount\" = @p0\nWHERE \"Id\" = @p1 AND \"DisplayName\" = @p2;")]
    public void Other_statements_leave_it(string sql) => Assert.False(CatalogChanges.Touches(sql));
}
