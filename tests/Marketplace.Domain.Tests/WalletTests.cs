using Marketplace.Domain.Wallets;

namespace Marketplace.Domain.Tests;

public sealed class WalletTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static Wallet NewWallet() => new(Guid.NewGuid(), Guid.NewGuid(), "qiwi", "+79001234567", "v1.k.x", Now, sandbox: true);

    [Fact]
    public void A_successful_sync_shows_how_far_the_cursor_is_complete_in_utc()
    {
        var wallet = NewWallet();
        var moscow = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.FromHours(3));
        wallet.Cursor.Advance(moscow);

        wallet.RecordSyncSuccess(Now);

        Assert.Equal(TimeSpan.Zero, wallet.SyncedUpTo!.Value.Offset); // PostgreSQL refuses any other offset
        Assert.Equal(moscow, wallet.SyncedUpTo.Value);
        Assert.Equal(Now, wallet.LastSyncAttemptAt);
    }

    [Fact]
    public void A_gap_holds_the_synced_point_back_to_its_start()
    {
        var wallet = NewWallet();
        wallet.Cursor.Advance(Now);
        wallet.Cursor.LeaveGap(Now.AddHours(-3), Now.AddHours(-1), "p", Now.AddHours(-2), Now);

        wallet.RecordSyncSuccess(Now);

        Assert.Equal(Now.AddHours(-3), wallet.SyncedUpTo);
    }

    [Fact]
    public void A_success_clears_the_last_error()
    {
        var wallet = NewWallet();
        wallet.RecordSyncFailure("timeout", Now, credentialsRejected: false);
        Assert.Equal("timeout", wallet.LastSyncError);

        wallet.RecordSyncSuccess(Now.AddMinutes(1));

        Assert.Null(wallet.LastSyncError);
        Assert.Null(wallet.SyncedUpTo); // nothing read yet
    }

    [Fact]
    public void A_rejected_token_needs_attention_from_the_first_refusal_until_replaced()
    {
        var wallet = NewWallet();
        wallet.RecordSyncFailure(new string('e', 600), Now, credentialsRejected: true);
        wallet.RecordSyncFailure("again", Now.AddMinutes(5), credentialsRejected: true);

        Assert.Equal(WalletStatus.NeedsAttention, wallet.Status);
        Assert.Equal(Now, wallet.AttentionSince);

        wallet.ReplaceToken("v1.k.y");

        Assert.Equal((WalletStatus.Active, (DateTimeOffset?)null, (string?)null, "v1.k.y"),
            (wallet.Status, wallet.AttentionSince, wallet.LastSyncError, wallet.EncryptedToken));
    }

    [Fact]
    public void Sync_errors_are_cut_to_five_hundred_characters()
    {
        var wallet = NewWallet();
        wallet.RecordSyncFailure(new string('e', 600), Now, credentialsRejected: false);
        Assert.Equal(500, wallet.LastSyncError!.Length);
        Assert.Equal(WalletStatus.Active, wallet.Status);
    }
}
