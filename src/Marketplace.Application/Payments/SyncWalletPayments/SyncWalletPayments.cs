using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Orders;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Payments;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Payments.SyncWalletPayments;

/// <summary>
/// One pass of the matcher over one wallet: read its incoming transfers since its oldest unpaid (or
/// recently cancelled, see <see cref="CancelledOrderWatch"/>) order, record each final transfer that
/// carries one of our comments, and release the items of every order it pays. Each recording is its
/// own transaction; the unique index on the transfer id makes a pass safe to repeat, or to run twice at once.
/// </summary>
/// <param name="Grace">How long after a cancellation transfers may still show up in history (the expiry grace).</param>
public sealed record SyncWalletPaymentsCommand(Guid WalletId, TimeSpan? Grace = null) : ICommand<SyncWalletPaymentsResult>;

public sealed record SyncWalletPaymentsResult(int TransfersRead, int Accepted, int Rejected, bool WalletRead);

public sealed class SyncWalletPaymentsHandler(
    IApplicationDbContext db, IRailRegistry rails, ISecretProtector protector, TimeProvider clock,
    OperatingMode mode, ILogger<SyncWalletPaymentsHandler> logger)
    : ICommandHandler<SyncWalletPaymentsCommand, SyncWalletPaymentsResult>
{
    /// <summary>No order lives longer than the longest payment window, so no read goes further back than this.</summary>
    private static readonly TimeSpan MaxLookBack = CancelledOrderWatch.MaxLookBack;

    /// <summary>History requests one pass may spend on one wallet: a guard against a rail whose paging never ends.</summary>
    public const int MaxPagesPerRead = 100;

    public async ValueTask<SyncWalletPaymentsResult> Handle(SyncWalletPaymentsCommand command, CancellationToken cancellationToken)
    {
        var wallet = await db.Wallets.FirstOrDefaultAsync(w => w.Id == command.WalletId, cancellationToken);
        if (wallet is null || wallet.Status != WalletStatus.Active || wallet.Sandbox != mode.IsSandbox) return new(0, 0, 0, false);

        // Wallet histories speak in whole seconds; reading up to a whole second keeps "read up to" exact.
        var now = TruncateToSecond(clock.GetUtcNow());
        var grace = command.Grace ?? CancelledOrderWatch.DefaultGrace;
        var cancelledSince = CancelledOrderWatch.WatchedSince(wallet.SyncedUpTo, grace, now);
        var oldestWatched = await db.Orders
            .Where(o => o.WalletId == wallet.Id
                        && (o.Status == OrderStatus.AwaitingPayment
                            || (o.Status == OrderStatus.Cancelled && o.CancelledAt >= cancelledSince)))
            .OrderBy(o => o.CreatedAt)
            .Select(o => (DateTimeOffset?)o.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (oldestWatched is null) return new(0, 0, 0, false);

        var from = Max(oldestWatched.Value - PaymentMatchingPolicy.ClockSkew, now - MaxLookBack);
        var history = rails.Get<IIncomingHistorySource>(new PaymentMethodId(wallet.Provider));

        IReadOnlyList<ObservedTransfer> transfers;
        try
        {
            var credentials = new WalletCredentials(wallet.Account, protector.Unprotect(wallet.EncryptedToken));
            transfers = await ReadAllAsync(history, credentials, new HistoryRange(from, now), cancellationToken);
        }
        catch (PaymentRailException ex)
        {
            logger.LogWarning("Reading wallet {WalletId} failed ({Kind}): {Error}", wallet.Id, ex.Kind, ex.Message);
            wallet.RecordSyncFailure($"{ex.Kind}: {ex.Message}", now, ex.CredentialsRejected);
            await db.SaveChangesAsync(cancellationToken);
            return new(0, 0, 0, false);
        }

        var (accepted, rejectedCount, oldestPending) = await RecordMatchesAsync(wallet, transfers, now, cancellationToken);

        // A pending transfer that names an unpaid order holds that order's expiry (and one dated before
        // a watched cancellation keeps that order watched): history counts as complete only up to just
        // before the oldest such transfer.
        var syncedUpTo = oldestPending is { } pending && pending - TimeSpan.FromSeconds(1) < now ? pending - TimeSpan.FromSeconds(1) : now;
        var fresh = await db.Wallets.SingleAsync(w => w.Id == wallet.Id, cancellationToken);
        fresh.RecordSyncSuccess(syncedUpTo, now);
        await db.SaveChangesAsync(cancellationToken);
        return new(transfers.Count, accepted, rejectedCount, true);
    }

    /// <summary>Every page of the range, newest first, until the rail says it reached the start; each transfer once.</summary>
    private static async Task<IReadOnlyList<ObservedTransfer>> ReadAllAsync(
        IIncomingHistorySource history, WalletCredentials credentials, HistoryRange range, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, ObservedTransfer>(StringComparer.Ordinal);
        string? continuation = null;
        for (var page = 0; page < MaxPagesPerRead; page++)
        {
            var result = await history.ReadPageAsync(credentials, range, continuation, cancellationToken);
            // Pages may overlap at their edges; the transaction id is the identity.
            foreach (var transfer in result.Transfers) seen.TryAdd(transfer.TransactionId, transfer);
            if (result.Continuation is null) return seen.Values.ToList();
            continuation = result.Continuation;
        }

        throw new PaymentRailException(PaymentRailErrorKind.Unavailable, "Payment history did not end within the page limit.");
    }

    private async Task<(int Accepted, int Rejected, DateTimeOffset? OldestPending)> RecordMatchesAsync(
        Wallet wallet, IReadOnlyList<ObservedTransfer> transfers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var withComment = transfers
            .Select(t => (Transfer: t, Comment: PaymentComment.Normalize(t.Comment)))
            .Where(t => t.Comment is not null)
            .ToList();
        if (withComment.Count == 0) return (0, 0, null);

        var comments = withComment.Select(t => t.Comment!).Distinct().ToList();
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.WalletId == wallet.Id && comments.Contains(o.PaymentComment))
            .ToDictionaryAsync(o => o.PaymentComment, cancellationToken);
        if (orders.Count == 0) return (0, 0, null);

        var transferIds = withComment.Select(t => t.Transfer.TransactionId).ToList();
        var alreadyRecorded = (await db.IncomingPayments.AsNoTracking()
                .Where(p => p.Provider == wallet.Provider && transferIds.Contains(p.ProviderTransactionId))
                .Select(p => p.ProviderTransactionId)
                .ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

        int accepted = 0, rejected = 0;
        DateTimeOffset? oldestPending = null;
        // Oldest first: when a buyer pays twice, the first transfer pays and the second is evidence.
        foreach (var (transfer, comment) in withComment.OrderBy(t => t.Transfer.OccurredAt))
        {
            if (!orders.TryGetValue(comment!, out var order) || alreadyRecorded.Contains(transfer.TransactionId)) continue;
            if (!PaymentMatchingPolicy.IsFinal(transfer))
            {
                var holds = order.Status == OrderStatus.AwaitingPayment
                            || (order.Status == OrderStatus.Cancelled && transfer.OccurredAt <= order.CancelledAt);
                if (holds && (oldestPending is null || transfer.OccurredAt < oldestPending))
                    oldestPending = transfer.OccurredAt;
                continue;
            }

            var outcome = await RecordAsync(wallet, order.Id, transfer, now, cancellationToken);
            if (outcome == PaymentOutcome.Accepted) accepted++;
            else if (outcome is not null) rejected++;
        }

        return (accepted, rejected, oldestPending);
    }

    private async Task<PaymentOutcome?> RecordAsync(
        Wallet wallet, Guid orderId, ObservedTransfer transfer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // Lock the order if it still awaits payment, so expiry cannot run between decision and write.
            var order = await db.LockAwaitingAsync(orderId, cancellationToken)
                        ?? await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId, cancellationToken);
            var outcome = PaymentMatchingPolicy.Decide(order, transfer);
            if (outcome is null) return null;

            var payment = new IncomingPayment(Guid.NewGuid(), wallet.Provider, wallet.Id, order.Id, transfer, outcome.Value, now);
            db.IncomingPayments.Add(payment);
            if (outcome == PaymentOutcome.Accepted)
            {
                order.MarkDelivered(payment.Id, transfer.OccurredAt, now);
                var items = await db.ListingItems
                    .Where(i => i.OrderId == order.Id && i.Status == ListingItemStatus.Reserved)
                    .ToListAsync(cancellationToken);
                foreach (var item in items) item.MarkSold(now);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Transfer {TransactionId} on wallet {WalletId} recorded for order {OrderId}: {Outcome}",
                transfer.TransactionId, wallet.Id, order.Id, outcome);
            return outcome;
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex) || ex is DbUpdateConcurrencyException)
        {
            // Another matcher pass recorded this transfer (or settled this order) first: its result stands.
            await transaction.RollbackAsync(cancellationToken);
            logger.LogInformation("Transfer {TransactionId} was already recorded by a concurrent pass", transfer.TransactionId);
            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
