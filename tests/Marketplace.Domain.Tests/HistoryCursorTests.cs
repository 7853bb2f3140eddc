using Marketplace.Domain.Wallets;

namespace Marketplace.Domain.Tests;

public sealed class HistoryCursorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(2);

    private static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    [Fact]
    public void The_first_read_starts_at_the_watch_start()
    {
        var cursor = new HistoryCursor();
        Assert.Equal((At(-30), At(0)), cursor.FreshRange(At(0), At(-30), Overlap));
    }

    [Fact]
    public void Later_reads_overlap_the_last_one_but_never_start_before_the_watch_start()
    {
        var cursor = new HistoryCursor();
        cursor.Advance(At(0));

        Assert.Equal((At(-2), At(5)), cursor.FreshRange(At(5), At(-30), Overlap));
        Assert.Equal((At(-1), At(5)), cursor.FreshRange(At(5), At(-1), Overlap));
    }

    [Fact]
    public void A_range_never_starts_after_now()
    {
        var cursor = new HistoryCursor();
        Assert.Equal((At(0), At(0)), cursor.FreshRange(At(0), At(10), Overlap));
    }

    [Fact]
    public void Advancing_only_moves_forward()
    {
        var cursor = new HistoryCursor();
        cursor.Advance(At(10));
        cursor.Advance(At(5));
        Assert.Equal(At(10), cursor.ReadUpTo);
        cursor.Advance(At(11));
        Assert.Equal(At(11), cursor.ReadUpTo);
    }

    [Fact]
    public void Leaving_a_gap_marks_the_wallet_behind_since_the_first_gap()
    {
        var cursor = new HistoryCursor();
        cursor.LeaveGap(At(0), At(10), "p2", At(8), now: At(11));
        cursor.LeaveGap(At(20), At(30), null, At(30), now: At(31));

        Assert.Equal(At(11), cursor.BehindSince);
        Assert.Equal(new HistoryGap(At(0), At(10), "p2", At(8)), cursor.Gaps[0]);
        Assert.Equal(2, cursor.Gaps.Count);
    }

    [Fact]
    public void The_next_gap_is_the_newest()
    {
        var cursor = new HistoryCursor();
        Assert.Null(cursor.NextGap());
        cursor.LeaveGap(At(0), At(10), null, At(10), At(40));
        cursor.LeaveGap(At(20), At(30), null, At(30), At(40));
        cursor.LeaveGap(At(5), At(35), "p", At(25), At(40));

        Assert.Equal(At(30), cursor.NextGap()!.UnreadTo);
    }

    [Fact]
    public void Progress_moves_a_gap_down_and_a_finished_gap_disappears()
    {
        var cursor = new HistoryCursor();
        cursor.LeaveGap(At(0), At(10), null, At(10), At(11));
        var gap = cursor.NextGap()!;

        cursor.Progress(gap, "p2", At(6));
        Assert.Equal(new HistoryGap(At(0), At(10), "p2", At(6)), Assert.Single(cursor.Gaps));
        Assert.Equal(At(11), cursor.BehindSince);

        cursor.Progress(cursor.NextGap()!, null, At(0));
        Assert.Empty(cursor.Gaps);
        Assert.Null(cursor.BehindSince);
    }

    [Fact]
    public void Progress_never_moves_a_gap_below_its_start()
    {
        var cursor = new HistoryCursor();
        cursor.LeaveGap(At(0), At(10), null, At(10), At(11));

        cursor.Progress(cursor.NextGap()!, "p2", At(-5));

        Assert.Equal(At(0), Assert.Single(cursor.Gaps).UnreadTo);
    }

    [Fact]
    public void The_wallet_stays_behind_while_any_gap_is_left()
    {
        var cursor = new HistoryCursor();
        cursor.LeaveGap(At(0), At(10), null, At(10), At(11));
        cursor.LeaveGap(At(20), At(30), null, At(30), At(31));

        cursor.Progress(cursor.NextGap()!, null, At(20));

        Assert.Equal(At(11), cursor.BehindSince);
        Assert.Equal(At(0), Assert.Single(cursor.Gaps).From);
    }

    [Fact]
    public void Nothing_is_read_before_the_first_read_or_beyond_the_last()
    {
        var cursor = new HistoryCursor();
        Assert.False(cursor.HasRead(At(0), At(1)));
        cursor.Advance(At(10));
        Assert.True(cursor.HasRead(At(0), At(10)));
        Assert.False(cursor.HasRead(At(0), At(11)));
    }

    [Fact]
    public void A_gap_only_holds_the_ranges_its_unread_part_touches()
    {
        var cursor = new HistoryCursor();
        cursor.Advance(At(60));
        // (20, 40] requested; (30, 40] already read, [20, 30] still unread.
        cursor.LeaveGap(At(20), At(40), "p", At(30), At(61));

        Assert.False(cursor.HasRead(At(25), At(26))); // inside the unread part
        Assert.False(cursor.HasRead(At(10), At(20))); // touches its start
        Assert.False(cursor.HasRead(At(30), At(50))); // touches its unread end
        Assert.False(cursor.HasRead(At(0), At(60))); // spans it
        Assert.True(cursor.HasRead(At(31), At(39))); // the part of the gap already read
        Assert.True(cursor.HasRead(At(0), At(19))); // before it
        Assert.True(cursor.HasRead(At(41), At(60))); // after it
    }

    [Fact]
    public void Complete_up_to_is_the_last_read_or_the_start_of_the_oldest_gap()
    {
        var cursor = new HistoryCursor();
        Assert.Null(cursor.CompleteUpTo);

        cursor.Advance(At(60));
        Assert.Equal(At(60), cursor.CompleteUpTo);

        cursor.LeaveGap(At(30), At(40), null, At(40), At(61));
        cursor.LeaveGap(At(10), At(20), null, At(20), At(61));
        Assert.Equal(At(10), cursor.CompleteUpTo);

        cursor.Progress(cursor.Gaps.Single(g => g.From == At(10)), null, At(10));
        Assert.Equal(At(30), cursor.CompleteUpTo);
    }

    [Fact]
    public void Catching_up_adds_a_gap_from_the_given_instant_to_the_last_read()
    {
        var cursor = new HistoryCursor();
        cursor.Advance(At(60));

        cursor.CatchUpFrom(At(10), now: At(61));

        Assert.Equal(new HistoryGap(At(10), At(60), null, At(60)), Assert.Single(cursor.Gaps));
        Assert.Equal(At(61), cursor.BehindSince);
        Assert.False(cursor.HasRead(At(10), At(20)));
        Assert.Equal(At(10), cursor.CompleteUpTo);
    }

    [Fact]
    public void Catching_up_twice_adds_no_second_gap()
    {
        var cursor = new HistoryCursor();
        cursor.Advance(At(60));
        cursor.CatchUpFrom(At(10), At(61));
        cursor.CatchUpFrom(At(10), At(62));
        cursor.CatchUpFrom(At(30), At(62)); // inside the first

        Assert.Single(cursor.Gaps);
    }

    [Fact]
    public void Catching_up_needs_something_read_before_the_last_read()
    {
        var fresh = new HistoryCursor();
        fresh.CatchUpFrom(At(0), At(1));
        Assert.Empty(fresh.Gaps);

        var cursor = new HistoryCursor();
        cursor.Advance(At(60));
        cursor.CatchUpFrom(At(60), At(61));
        cursor.CatchUpFrom(At(70), At(71));
        Assert.Empty(cursor.Gaps);
        Assert.Null(cursor.BehindSince);
    }

    [Fact]
    public void Pending_transfers_are_watched_once_and_forgotten()
    {
        var cursor = new HistoryCursor();
        var order = Guid.NewGuid();
        cursor.Watch(new PendingTransfer("t1", At(0), order));
        cursor.Watch(new PendingTransfer("t1", At(1), null));
        cursor.Watch(new PendingTransfer("t2", At(2), null));

        Assert.Equal(["t1", "t2"], cursor.Pending.Select(p => p.TransactionId));
        Assert.Equal(order, cursor.Pending[0].OrderId);

        cursor.Forget("t1");
        cursor.Forget("t9");
        Assert.Equal("t2", Assert.Single(cursor.Pending).TransactionId);
    }

    [Fact]
    public void At_most_max_pending_transfers_are_watched()
    {
        var cursor = new HistoryCursor();
        for (var i = 0; i < HistoryCursor.MaxPending + 5; i++) cursor.Watch(new PendingTransfer($"t{i}", At(i), null));

        Assert.Equal(HistoryCursor.MaxPending, cursor.Pending.Count);
        Assert.Equal($"t{HistoryCursor.MaxPending - 1}", cursor.Pending[^1].TransactionId);

        cursor.Forget("t0");
        cursor.Watch(new PendingTransfer("late", At(99), null));
        Assert.Equal("late", cursor.Pending[^1].TransactionId);
    }

    [Fact]
    public void Gaps_that_end_before_the_oldest_watched_order_are_dropped()
    {
        var start = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var cursor = new HistoryCursor { ReadUpTo = start.AddHours(3) };
        cursor.LeaveGap(start, start.AddHours(1), "c1", start.AddMinutes(30), start);
        cursor.LeaveGap(start.AddHours(2), start.AddHours(3), null, start.AddHours(3), start);

        cursor.DropGapsBefore(start.AddHours(1));
        Assert.Equal([start.AddHours(2)], cursor.Gaps.Select(g => g.From));
        Assert.NotNull(cursor.BehindSince);

        cursor.DropGapsBefore(start.AddHours(4));
        Assert.Empty(cursor.Gaps);
        Assert.Null(cursor.BehindSince);
    }

    [Fact]
    public void A_full_pending_list_refuses_to_watch_so_nothing_is_held_unwatched()
    {
        var at = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var cursor = new HistoryCursor();
        for (var i = 0; i < HistoryCursor.MaxPending; i++) Assert.True(cursor.Watch(new PendingTransfer($"t{i}", at, null)));

        Assert.False(cursor.Watch(new PendingTransfer("one-too-many", at, Guid.NewGuid())));
        Assert.True(cursor.Watch(new PendingTransfer("t0", at, null))); // already watched
        Assert.Equal(HistoryCursor.MaxPending, cursor.Pending.Count);
    }
}
