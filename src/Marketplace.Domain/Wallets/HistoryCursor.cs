namespace Marketplace.Domain.Wallets;

/// <summary>
/// How much of a wallet's incoming history the matcher has read, persisted between passes so a pass
/// reads only what is new. History is read newest first, a request at a time; what a pass could not
/// finish is kept as a <see cref="HistoryGap"/> and worked through in later passes, newest gap first,
/// so a flood of transfers delays old ranges, never new orders. Rail-neutral: a gap's continuation is
/// the rail's own opaque paging token.
/// </summary>
public sealed class HistoryCursor
{
    /// <summary>The newest instant read (all of (…, ReadUpTo] except the gaps); null before the first read.</summary>
    public DateTimeOffset? ReadUpTo { get; set; }

    /// <summary>Ranges not read yet, or read only partly (from the top down to <see cref="HistoryGap.UnreadTo"/>).</summary>
    public List<HistoryGap> Gaps { get; set; } = [];

    /// <summary>Transfers seen pending (not final): looked at again every pass until they succeed or fail.</summary>
    public List<PendingTransfer> Pending { get; set; } = [];

    /// <summary>The next pass reads again from the oldest unresolved order (the wallet was reconnected).</summary>
    public bool CatchUpRequested { get; set; }

    /// <summary>Since when the wallet has had unread gaps: a wallet that cannot keep up says so.</summary>
    public DateTimeOffset? BehindSince { get; set; }

    /// <summary>The oldest instant not known to be read: everything before it is final in our records.</summary>
    public DateTimeOffset? CompleteUpTo =>
        Gaps.Count == 0 ? ReadUpTo : Min(Gaps.Min(g => g.From), ReadUpTo ?? DateTimeOffset.MaxValue);

    /// <summary>True when every transfer dated in [from, to] has been read.</summary>
    public bool HasRead(DateTimeOffset from, DateTimeOffset to) =>
        ReadUpTo is { } top && top >= to && !Gaps.Any(g => g.From <= to && g.UnreadTo >= from);

    /// <summary>The range a pass reads first: from a little before the last read (late-appearing rows) up to now, never before <paramref name="watchFrom"/>.</summary>
    public (DateTimeOffset From, DateTimeOffset To) FreshRange(DateTimeOffset now, DateTimeOffset watchFrom, TimeSpan overlap)
    {
        var from = ReadUpTo is { } top ? Max(top - overlap, watchFrom) : watchFrom;
        return (from > now ? now : from, now);
    }

    /// <summary>The fresh range was read to its end (or down to a gap left for the rest): history is read up to <paramref name="to"/>.</summary>
    public void Advance(DateTimeOffset to)
    {
        if (ReadUpTo is null || to > ReadUpTo) ReadUpTo = to;
    }

    public void LeaveGap(DateTimeOffset from, DateTimeOffset to, string? continuation, DateTimeOffset unreadTo, DateTimeOffset now)
    {
        Gaps.Add(new HistoryGap(from, to, continuation, unreadTo));
        BehindSince ??= now;
    }

    /// <summary>The gap to work on next: the newest, so recent orders are decided first.</summary>
    public HistoryGap? NextGap() => Gaps.OrderByDescending(g => g.UnreadTo).FirstOrDefault();

    public void Progress(HistoryGap gap, string? continuation, DateTimeOffset unreadTo)
    {
        Gaps.Remove(gap);
        if (continuation is not null) Gaps.Add(gap with { Continuation = continuation, UnreadTo = unreadTo < gap.From ? gap.From : unreadTo });
        if (Gaps.Count == 0) BehindSince = null;
    }

    /// <summary>
    /// Read again from <paramref name="from"/> (a reconnect, a restart, a lease taken over): rows a
    /// wallet showed late, or that an earlier holder never finished, get their chance.
    /// </summary>
    public void CatchUpFrom(DateTimeOffset from, DateTimeOffset now)
    {
        if (ReadUpTo is not { } top || from >= top) return;
        if (Gaps.Any(g => g.From <= from && g.To >= top)) return;
        LeaveGap(from, top, null, top, now);
    }

    /// <summary>
    /// Forgets history before <paramref name="watchFrom"/>: nothing that old can pay an order still
    /// watched. Gaps that end before it are dropped, gaps that start before it start there.
    /// </summary>
    public void DropGapsBefore(DateTimeOffset watchFrom)
    {
        Gaps.RemoveAll(g => g.UnreadTo < watchFrom);
        for (var i = 0; i < Gaps.Count; i++)
            if (Gaps[i].From < watchFrom) Gaps[i] = Gaps[i] with { From = watchFrom };
        if (Gaps.Count == 0) BehindSince = null;
    }

    /// <summary>Watches a pending transfer; false when it cannot (the list is full), and then it must hold nothing.</summary>
    public bool Watch(PendingTransfer pending)
    {
        if (Pending.Any(p => p.TransactionId == pending.TransactionId)) return true;
        if (Pending.Count >= MaxPending) return false;
        Pending.Add(pending);
        return true;
    }

    public void Forget(string transactionId) => Pending.RemoveAll(p => p.TransactionId == transactionId);

    /// <summary>A wallet rarely has more than a handful of transfers in flight; beyond this, catch-up reads find them.</summary>
    public const int MaxPending = 50;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <param name="From">Start of the unread range.</param>
/// <param name="To">End of the range as first requested (the rail's continuation belongs to this range).</param>
/// <param name="Continuation">The rail's token to resume reading the range; null to start at its top.</param>
/// <param name="UnreadTo">Everything after this in the range has been read.</param>
public sealed record HistoryGap(DateTimeOffset From, DateTimeOffset To, string? Continuation, DateTimeOffset UnreadTo);

/// <param name="OrderId">The order the transfer named, when it named one (that order is held, no other).</param>
public sealed record PendingTransfer(string TransactionId, DateTimeOffset OccurredAt, Guid? OrderId);
