using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Orders;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Domain.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Payments.Matching;

/// <summary>
/// The rail-neutral half of the matcher (BTCPay's <c>AddPayment</c>): records what a rail observed
/// and lets the order named by each transfer decide. It never talks to a rail. A page of transfers
/// is recorded in one transaction, together with whatever the caller changed on the tracked wallet
/// (its history cursor), so progress and records never disagree. The unique transfer id makes
/// recording safe to repeat and safe when two instances ever overlap.
/// </summary>
public sealed class TransferRecorder(
    IApplicationDbContext db, IOptions<MatcherOptions> options, TimeProvider clock, ILogger<TransferRecorder> logger,
    Common.Telemetry.MarketplaceMetrics metrics)
{
    /// <summary>
    /// Records a page of transfers read from <paramref name="wallet"/> (tracked; its cursor is updated
    /// and saved too). Never lets one transfer stop a wallet: when the page fails, its transfers are
    /// recorded one by one, and one that still cannot be decided is put in the seller's inbox as it came.
    /// </summary>
    public async Task<RecordedPage> RecordPageAsync(Wallet wallet, IReadOnlyList<ObservedTransfer> transfers, CancellationToken cancellationToken)
    {
        // A rail may repeat a row within a page: the first copy is the one decided.
        var page = transfers.DistinctBy(t => t.TransactionId, StringComparer.Ordinal).ToList();
        try
        {
            return await RecordAsync(wallet, page, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Another pass recorded some of these first (a unique violation), or one transfer cannot be
            // decided: record the rest one by one; what another pass recorded stands.
            logger.LogInformation(ex, "Recording a page of wallet {WalletId} failed; recording its transfers one by one", wallet.Id);
            ForgetAllBut(wallet);
            var total = RecordedPage.Empty;
            foreach (var transfer in page)
            {
                try
                {
                    total += await RecordAsync(wallet, [transfer], cancellationToken);
                }
                catch (DbUpdateException one) when (db.IsUniqueViolation(one) || one is DbUpdateConcurrencyException)
                {
                    ForgetAllBut(wallet);
                }
                catch (Exception one) when (one is not OperationCanceledException)
                {
                    ForgetAllBut(wallet);
                    total += await QuarantineAsync(wallet, transfer, one, cancellationToken);
                }
            }

            return total;
        }
    }

    /// <summary>
    /// A transfer whose decision fails (a bug, data the rules did not foresee) goes to the seller's inbox
    /// undecided, so the wallet's history keeps moving and a person can look at it.
    /// </summary>
    private async Task<RecordedPage> QuarantineAsync(Wallet wallet, ObservedTransfer transfer, Exception error, CancellationToken cancellationToken)
    {
        logger.LogError(error, "Transfer {TransactionId} of wallet {WalletId} could not be decided; it waits in the seller's inbox", transfer.TransactionId, wallet.Id);
        wallet.Cursor.Forget(transfer.TransactionId);
        if (transfer.Status != TransferStatus.Succeeded)
        {
            await db.SaveChangesAsync(cancellationToken);
            return RecordedPage.Empty;
        }

        try
        {
            db.IncomingPayments.Add(new IncomingPayment(Guid.NewGuid(), wallet.Provider, wallet.Id, transfer, PaymentOutcome.Unmatched, clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
            metrics.TransferRecorded(PaymentOutcome.Unmatched);
            return RecordedPage.One(PaymentOutcome.Unmatched);
        }
        catch (DbUpdateException again)
        {
            logger.LogError(again, "Transfer {TransactionId} of wallet {WalletId} could not be recorded at all; skipped", transfer.TransactionId, wallet.Id);
            ForgetAllBut(wallet);
            await db.SaveChangesAsync(cancellationToken);
            return RecordedPage.Empty;
        }
    }

    private async Task<RecordedPage> RecordAsync(Wallet wallet, IReadOnlyList<ObservedTransfer> transfers, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rules = options.Value.Rules;
        transfers = transfers.DistinctBy(t => t.TransactionId, StringComparer.Ordinal).ToList();
        var (named, recorded) = await LookUpAsync(wallet, transfers, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A failed page is rolled back whole and recorded again transfer by transfer: a savepoint around the
        // save (EF Core's default inside a transaction) would only cost two round trips per page.
        db.Database.AutoSavepointsEnabled = false;
        // Every order this page touches, locked and loaded in one round trip (PostgreSQL). Their items are not
        // loaded: a sale is written by the save, one statement for all the page's orders (StockLedger.SellAsync).
        // Two pages of one wallet rarely run at once (leases); if they ever deadlock, the page is recorded again
        // one transfer at a time.
        var orderIds = transfers.Where(t => !recorded.Contains(t.TransactionId) && named[t.TransactionId] is { Count: 1 })
            .Select(t => named[t.TransactionId][0]).Distinct().Order().ToList();
        var orders = await db.LockOrdersAsync(orderIds, cancellationToken);

        var payments = new List<IncomingPayment>();
        // Only what this page loaded is tracked, and handlers read the objects themselves: the change
        // tracker compares snapshots once, at the save, instead of at every DbSet.Local a handler reads.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var page = RecordedPage.Empty;
            // Oldest first: when a buyer pays twice, the first transfer pays and the second is the surplus.
            foreach (var transfer in transfers.OrderBy(t => t.OccurredAt).ThenBy(t => t.TransactionId, StringComparer.Ordinal))
            {
                var id = transfer.TransactionId;
                if (recorded.Contains(id))
                {
                    wallet.Cursor.Forget(id);
                    continue;
                }

                var orderIdsNamed = named[id];
                var order = orderIdsNamed.Count == 1 ? orders.GetValueOrDefault(orderIdsNamed[0]) : null;
                switch (transfer.Status)
                {
                    case TransferStatus.Pending:
                        // Looked at again every pass until final; only the order it names is held meanwhile, and
                        // only while someone looks (a transfer the cursor cannot watch holds nothing).
                        if (wallet.Cursor.Watch(new PendingTransfer(id, transfer.OccurredAt.ToUniversalTime(), order?.Id))
                            && order?.RecordPendingPayment(transfer, rules, now) == true)
                            page += RecordedPage.OnePending;
                        continue;
                    case TransferStatus.Failed:
                        wallet.Cursor.Forget(id);
                        order?.RecordFailedPayment(id, now);
                        continue;
                }

                wallet.Cursor.Forget(id);
                var outcome = orderIdsNamed.Count > 1 ? PaymentOutcome.Ambiguous : PaymentOutcome.Unmatched;
                var payment = new IncomingPayment(Guid.NewGuid(), wallet.Provider, wallet.Id, transfer, outcome, now);
                if (order is not null) outcome = order.RecordPayment(payment, transfer, PaymentSource.Comment, rules, now);
                payments.Add(payment);
                page += RecordedPage.One(outcome);
            }

            // Every decided transfer of the page in one statement, and the orders' decisions (with what their events'
            // handlers changed: items sold, outbox rows) set-based, one statement per entity type and changed column
            // set, all in one round trip. The unique transfer id lets exactly one pass (or instance) insert a transfer;
            // one recorded meanwhile by another (after the look above) is skipped by the insert, and if an order
            // counted it here, this page's decisions are void: the page is rolled back and recorded again one transfer
            // at a time, which finds it recorded.
            var inserted = await db.SaveChangesSetBasedAsync([.. payments.OrderBy(p => p.ProviderTransactionId, StringComparer.Ordinal)], cancellationToken);
            foreach (var payment in payments.Where(p => !inserted.Contains(p.ProviderTransactionId)))
            {
                if (payment.OrderId is not null)
                    throw new DbUpdateConcurrencyException($"Transfer {payment.ProviderTransactionId} was recorded meanwhile by another pass.");
                page -= RecordedPage.One(payment.Outcome);
            }

            await transaction.CommitAsync(cancellationToken);
            foreach (var payment in payments.Where(p => inserted.Contains(p.ProviderTransactionId))) metrics.TransferRecorded(payment.Outcome);
            ForgetAllBut(wallet);
            return page;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    /// <summary>A transfer pending for too long: forgotten, and the order it held settles like any other.</summary>
    public async Task AbandonPendingAsync(Wallet wallet, PendingTransfer pending, CancellationToken cancellationToken)
    {
        wallet.Cursor.Forget(pending.TransactionId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (pending.OrderId is { } orderId && await db.LockOrderAsync(orderId, cancellationToken) is { } order
            && order.AbandonPendingPayment(pending.TransactionId, clock.GetUtcNow()))
            logger.LogWarning("Transfer {TransactionId} stayed pending too long; order {OrderId} no longer waits for it", pending.TransactionId, order.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        ForgetAllBut(wallet);
    }

    /// <summary>
    /// For each transfer, the orders of this wallet its comment names (usually none or one); and which of the
    /// transfers are recorded already. One round trip: both reads are one query (UNION ALL).
    /// </summary>
    private async Task<(Dictionary<string, IReadOnlyList<Guid>> Named, HashSet<string> Recorded)> LookUpAsync(
        Wallet wallet, IReadOnlyList<ObservedTransfer> transfers, CancellationToken cancellationToken)
    {
        var candidates = transfers.DistinctBy(t => t.TransactionId, StringComparer.Ordinal)
            .ToDictionary(t => t.TransactionId, t => PaymentComment.FindCandidates(t.Comment), StringComparer.Ordinal);
        var codes = candidates.Values.SelectMany(c => c).Distinct().ToList();
        var ids = candidates.Keys.ToList();
        var walletId = wallet.Id;
        var provider = wallet.Provider;
        // A recorded transfer comes back with the empty id, which no order has.
        var rows = await db.Orders.AsNoTracking()
            .Where(o => o.WalletId == walletId && codes.Contains(o.PaymentComment))
            .Select(o => new { Key = o.PaymentComment, o.Id })
            .Concat(db.IncomingPayments.AsNoTracking()
                .Where(p => p.Provider == provider && ids.Contains(p.ProviderTransactionId))
                .Select(p => new { Key = p.ProviderTransactionId, Id = Guid.Empty }))
            .ToListAsync(cancellationToken);
        var known = rows.Where(r => r.Id != Guid.Empty).ToDictionary(r => r.Key, r => r.Id, StringComparer.Ordinal);
        var recorded = rows.Where(r => r.Id == Guid.Empty).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var named = candidates.ToDictionary(
            pair => pair.Key,
            pair => (IReadOnlyList<Guid>)pair.Value.Where(known.ContainsKey).Select(code => known[code]).Distinct().ToList(),
            StringComparer.Ordinal);
        return (named, recorded);
    }

    /// <summary>Keeps memory flat over a long pass: only the wallet stays tracked between pages.</summary>
    private void ForgetAllBut(Wallet wallet)
    {
        foreach (var entry in db.ChangeTracker.Entries().ToList())
            if (!ReferenceEquals(entry.Entity, wallet)) entry.State = EntityState.Detached;
    }
}

/// <summary>What recording a page did: transfers recorded, of which counted toward an order, and of which waiting in the inbox.</summary>
public readonly record struct RecordedPage(int Recorded, int Counted, int Inbox, int Pending)
{
    public static readonly RecordedPage Empty = new(0, 0, 0, 0);
    public static readonly RecordedPage OnePending = new(0, 0, 0, 1);

    public static RecordedPage One(PaymentOutcome outcome) => new(1, outcome.Counts() ? 1 : 0, outcome.NeedsSeller() ? 1 : 0, 0);

    public static RecordedPage operator +(RecordedPage a, RecordedPage b) =>
        new(a.Recorded + b.Recorded, a.Counted + b.Counted, a.Inbox + b.Inbox, a.Pending + b.Pending);

    public static RecordedPage operator -(RecordedPage a, RecordedPage b) =>
        new(a.Recorded - b.Recorded, a.Counted - b.Counted, a.Inbox - b.Inbox, a.Pending - b.Pending);
}
