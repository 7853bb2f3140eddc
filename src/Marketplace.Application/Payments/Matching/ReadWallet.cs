using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Domain.Wallets;
using Mediator;
using WalletCredentials = Marketplace.Application.Payments.Rails.WalletCredentials;
using PaymentRailException = Marketplace.Application.Payments.Rails.PaymentRailException;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Payments.Matching;

/// <summary>
/// One pass of the matcher over one wallet: read what is new in its history (then older gaps, then
/// transfers still pending) within the pass's request budget, and hand every page to the
/// <see cref="TransferRecorder"/>. Rail-neutral: the rail's <see cref="IIncomingHistorySource"/> only reads pages.
/// </summary>
/// <param name="WatchFrom">Nothing before this matters (the oldest watched order, less the clock skew); computed when null.</param>
/// <param name="CatchUp">Read again from the oldest watched order (a restart, a lease taken over, a reconnect).</param>
/// <param name="RequestBudget">History requests this read may spend; the configured per-pass budget when null.</param>
public sealed record ReadWalletCommand(Guid WalletId, DateTimeOffset? WatchFrom = null, bool CatchUp = false, int? RequestBudget = null)
    : ICommand<ReadWalletResult>;

/// <param name="WalletRead">False when the wallet could not be read (or is not one this service reads).</param>
/// <param name="Behind">The pass ran out of requests before reading everything: the rest waits for the next pass.</param>
public sealed record ReadWalletResult(int Requests, RecordedPage Recorded, bool WalletRead, bool Behind)
{
    public static readonly ReadWalletResult NotRead = new(0, RecordedPage.Empty, false, false);
}

public sealed class ReadWalletHandler(
    IApplicationDbContext db, IRailRegistry rails, ISecretProtector protector, TransferRecorder recorder, TimeProvider clock,
    OperatingMode mode, IOptions<MatcherOptions> options, ILogger<ReadWalletHandler> logger, Common.Telemetry.MarketplaceMetrics metrics)
    : ICommandHandler<ReadWalletCommand, ReadWalletResult>
{
    public async ValueTask<ReadWalletResult> Handle(ReadWalletCommand command, CancellationToken cancellationToken)
    {
        var wallet = await db.Wallets.FirstOrDefaultAsync(w => w.Id == command.WalletId, cancellationToken);
        if (wallet is null || wallet.Status != WalletStatus.Active || wallet.Sandbox != mode.IsSandbox) return ReadWalletResult.NotRead;
        if (PaymentMethodId.TryParse(wallet.Provider) is not { } method || rails.Find<IIncomingHistorySource>(method) is not { } source)
            return ReadWalletResult.NotRead;

        var settings = options.Value;
        var now = Truncate(clock.GetUtcNow(), source.Resolution);
        var watchFrom = Truncate(Max(
            command.WatchFrom ?? await WatchFromAsync(wallet.Id, now, cancellationToken) ?? now - settings.ReadOverlap,
            now - settings.MaxLookBack), source.Resolution);
        if (command.CatchUp || wallet.Cursor.CatchUpRequested)
        {
            // From the oldest watched order, recently expired ones included: a payment made in time that
            // the wallet showed late can still turn up.
            wallet.Cursor.CatchUpFrom(watchFrom, now);
            wallet.Cursor.CatchUpRequested = false;
        }

        wallet.Cursor.DropGapsBefore(watchFrom);

        var pass = new Pass(source, new WalletCredentials(wallet.Account, protector.Unprotect(wallet.EncryptedToken)),
            command.RequestBudget ?? settings.RequestsPerWalletPerPass);
        try
        {
            await ReadFreshAsync(wallet, pass, watchFrom, now, cancellationToken);
            await ReadGapsAsync(wallet, pass, cancellationToken);
            await RecheckPendingAsync(wallet, pass, method, now, cancellationToken);
            wallet.RecordSyncSuccess(now);
        }
        catch (PaymentRailException ex)
        {
            logger.LogWarning("Reading wallet {WalletId} failed ({Kind}): {Error}", wallet.Id, ex.Kind, ex.Message);
            // The seller may have reconnected with a new token while this read used the old one.
            var sameToken = await db.Wallets.AsNoTracking().Where(w => w.Id == wallet.Id)
                .Select(w => w.EncryptedToken).FirstOrDefaultAsync(cancellationToken) == wallet.EncryptedToken;
            wallet.RecordSyncFailure($"{ex.Kind}: {ex.Message}", now, ex.CredentialsRejected && sameToken);
            await db.SaveChangesAsync(cancellationToken);
            metrics.WalletRead(wallet.Id, wallet.Provider, pass.Spent, wallet.SyncedUpTo);
            return new ReadWalletResult(pass.Spent, pass.Recorded, false, wallet.Cursor.Gaps.Count > 0);
        }

        await db.SaveChangesAsync(cancellationToken);
        metrics.WalletRead(wallet.Id, wallet.Provider, pass.Spent, wallet.SyncedUpTo);
        return new ReadWalletResult(pass.Spent, pass.Recorded, true, wallet.Cursor.Gaps.Count > 0);
    }

    /// <summary>
    /// What is new since the last pass, newest first; what the budget does not cover becomes a gap. The
    /// range starts a little before the last read (rows a wallet shows late), but a page that holds
    /// nothing new and reaches below the last read ends it: under a flood, the overlap would otherwise
    /// cost the whole budget on every pass and the gaps would never be worked off.
    /// </summary>
    private async Task ReadFreshAsync(Wallet wallet, Pass pass, DateTimeOffset watchFrom, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var previousTop = wallet.Cursor.ReadUpTo;
        var (from, to) = wallet.Cursor.FreshRange(now, Truncate(watchFrom, pass.Source.Resolution), options.Value.ReadOverlap);
        var range = new HistoryRange(from, to);
        string? continuation = null;
        while (true)
        {
            var page = await pass.ReadAsync(range, continuation, cancellationToken);
            var oldest = OldestIn(page);
            var recorded = await recorder.RecordPageAsync(wallet, page.Transfers, cancellationToken);
            pass.Recorded += recorded;
            var reachedKnownGround = page.Continuation is not null && recorded.Recorded == 0 && page.Transfers.Count > 0
                                     && previousTop is { } top && oldest <= top;
            if (page.Continuation is not null && !reachedKnownGround && !pass.CanRead)
                wallet.Cursor.LeaveGap(from, to, page.Continuation, oldest ?? to, clock.GetUtcNow());
            if (page.Continuation is null || reachedKnownGround || !pass.CanRead)
            {
                wallet.Cursor.Advance(to);
                await db.SaveChangesAsync(cancellationToken);
                return;
            }

            continuation = page.Continuation;
        }
    }

    /// <summary>Older ranges a previous pass could not finish, newest first, while requests remain.</summary>
    private async Task ReadGapsAsync(Wallet wallet, Pass pass, CancellationToken cancellationToken)
    {
        // One request stays for the transfers in flight: a backlog must not starve their rechecks.
        while (pass.Remaining > (wallet.Cursor.Pending.Count > 0 ? 1 : 0) && wallet.Cursor.NextGap() is { } gap)
        {
            var page = await pass.ReadAsync(new HistoryRange(gap.From, gap.To), gap.Continuation, cancellationToken);
            wallet.Cursor.Progress(gap, page.Continuation, OldestIn(page) ?? gap.From);
            pass.Recorded += await recorder.RecordPageAsync(wallet, page.Transfers, cancellationToken);
        }
    }

    /// <summary>
    /// Transfers seen pending keep their original date, which later reads have passed: each is looked up
    /// again (by id where the rail can, else by reading its own second) until it succeeds or fails.
    /// </summary>
    private async Task RecheckPendingAsync(Wallet wallet, Pass pass, PaymentMethodId method, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Pending for longer than anyone should wait: the order stops waiting, no request spent on it.
        foreach (var stale in wallet.Cursor.Pending.Where(p => p.OccurredAt < now - options.Value.MonitoringWindow).ToList())
            await recorder.AbandonPendingAsync(wallet, stale, cancellationToken);

        var lookup = rails.Find<ITransferLookup>(method);
        foreach (var pending in wallet.Cursor.Pending.OrderByDescending(p => p.OccurredAt).ToList())
        {
            if (!pass.CanRead) return;
            ObservedTransfer? transfer;
            if (lookup is not null)
            {
                transfer = await pass.LookUpAsync(lookup, pending.TransactionId, cancellationToken);
            }
            else
            {
                var page = await pass.ReadAsync(new HistoryRange(pending.OccurredAt, pending.OccurredAt + pass.Source.Resolution), null, cancellationToken);
                transfer = page.Transfers.FirstOrDefault(t => t.TransactionId == pending.TransactionId);
            }

            // Gone from the wallet's history: it is abandoned once the monitoring window is over (above).
            if (transfer is null) continue;
            // Final: decided. Still pending: looked at again, and it holds its order again if a first
            // transfer in flight failed meanwhile.
            pass.Recorded += await recorder.RecordPageAsync(wallet, [transfer], cancellationToken);
        }
    }

    /// <summary>The oldest watched order of the wallet, less the clock skew: nothing older can pay anything.</summary>
    private async Task<DateTimeOffset?> WatchFromAsync(Guid walletId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - options.Value.MonitoringWindow - options.Value.ExpiryGrace;
        var lookBack = now - options.Value.MaxLookBack;
        var oldest = await db.Orders.AsNoTracking()
            .Where(o => o.WalletId == walletId && (OrderStatuses.HoldingStock.Contains(o.Status)
                                                   || (o.Status == OrderStatus.Unverifiable && o.CreatedAt >= lookBack) || o.ExpiresAt >= since))
            .OrderBy(o => o.CreatedAt)
            .Select(o => (DateTimeOffset?)o.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return oldest - options.Value.ClockSkew;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset? OldestIn(HistoryPage page) =>
        page.Transfers.Count == 0 ? null : page.Transfers.Min(t => t.OccurredAt).ToUniversalTime();

    private static DateTimeOffset Truncate(DateTimeOffset value, TimeSpan resolution) =>
        resolution <= TimeSpan.Zero ? value : new DateTimeOffset(value.UtcTicks - value.UtcTicks % resolution.Ticks, TimeSpan.Zero);

    /// <summary>One pass's request budget over one wallet.</summary>
    private sealed class Pass(IIncomingHistorySource source, WalletCredentials credentials, int budget)
    {
        public IIncomingHistorySource Source => source;
        public int Spent { get; private set; }
        public bool CanRead => Spent < budget;
        public int Remaining => budget - Spent;
        public RecordedPage Recorded { get; set; } = RecordedPage.Empty;

        public Task<HistoryPage> ReadAsync(HistoryRange range, string? continuation, CancellationToken cancellationToken)
        {
            Spent++;
            return source.ReadPageAsync(credentials, range, continuation, cancellationToken);
        }

        public Task<ObservedTransfer?> LookUpAsync(ITransferLookup lookup, string transactionId, CancellationToken cancellationToken)
        {
            Spent++;
            return lookup.FindIncomingAsync(credentials, transactionId, cancellationToken);
        }
    }
}
