using Marketplace.Domain.Wallets;

namespace Marketplace.Domain.Tests;

public sealed class WalletTests
{
    [Fact]
    public void The_synced_point_is_kept_in_utc_whatever_offset_the_rail_reported()
    {
        var wallet = new Wallet(Guid.NewGuid(), Guid.NewGuid(), "qiwi", "+79001234567", "v1.k.x", DateTimeOffset.UtcNow, sandbox: true);
        var moscow = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.FromHours(3));

        wallet.RecordSyncSuccess(moscow, DateTimeOffset.UtcNow);

        Assert.Equal(TimeSpan.Zero, wallet.SyncedUpTo!.Value.Offset); // PostgreSQL refuses any other offset
        Assert.Equal(moscow, wallet.SyncedUpTo.Value);
    }
}
