using System.Collections.Concurrent;
using Marketplace.Application.Orders.ExpireOverdueOrders;
using Marketplace.Application.Payments.Matching;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Infrastructure.BackgroundJobs;

/// <summary>
/// The matcher's driver. Each pass: take the leases of the watched wallets this instance can have,
/// read those wallets concurrently (bounded; a slow wallet holds one slot), then settle overdue
/// orders, in that order, so expiry always sees the newest history. Between passes, read requests
/// (verified push notifications) are served at once. The first pass of an instance, and the first
/// pass after taking a lease over, reads each wallet again from its oldest unresolved order.
/// Tests call <see cref="RunOnceAsync"/> instead of waiting for the timer.
/// </summary>
public sealed class PaymentWatcher(
    IServiceScopeFactory scopes, IOptions<MatcherOptions> options, WalletReadRequests requests, TimeProvider clock,
    ILogger<PaymentWatcher> logger, Application.Common.Telemetry.MarketplaceMetrics metrics)
    : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _abort = new();
    /// <summary>How long a stop waits for cancelled work to unwind, and for the lease release.</summary>
    private static readonly TimeSpan UnwindTime = TimeSpan.FromSeconds(5);
    /// <summary>One read of a wallet at a time in this process (a pass and a push may ask together).</summary>
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _walletGates = new();

    /// <summary>This instance's name on the leases it holds.</summary>
    public string InstanceId { get; } = $"{Truncate(Environment.MachineName, 60)}/{Guid.NewGuid():N}";

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;

    public async Task<PaymentWatcherPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        var started = clock.GetTimestamp();
        try
        {
            IReadOnlyList<WatchedWallet> watched;
            IReadOnlyList<LeasedWallet> leased;
            using (var scope = scopes.CreateScope())
            {
                watched = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ListWalletsToWatchQuery(), cancellationToken);
                leased = await scope.ServiceProvider.GetRequiredService<WalletLeases>()
                    .AcquireAsync(InstanceId, watched.Select(w => w.WalletId).ToList(), cancellationToken);
            }

            var watchFrom = watched.ToDictionary(w => w.WalletId, w => w.WatchFrom);
            int counted = 0, inbox = 0, failed = 0, behind = 0;
            await Parallel.ForEachAsync(leased,
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelWallets, CancellationToken = cancellationToken },
                async (lease, ct) =>
                {
                    var result = await ReadAsync(new ReadWalletCommand(lease.WalletId, watchFrom[lease.WalletId], lease.Fresh), ct);
                    Interlocked.Add(ref counted, result?.Recorded.Counted ?? 0);
                    Interlocked.Add(ref inbox, result?.Recorded.Inbox ?? 0);
                    if (result is not { WalletRead: true }) Interlocked.Increment(ref failed);
                    if (result is { Behind: true }) Interlocked.Increment(ref behind);
                });

            int settled;
            using (var scope = scopes.CreateScope())
                settled = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ExpireOverdueOrdersCommand(WalletIds: leased.Select(l => l.WalletId).ToList()), cancellationToken);
            metrics.MatcherPass(clock.GetElapsedTime(started), leased.Count);

            return new PaymentWatcherPass(leased.Count, failed, counted, inbox, settled, behind);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Serves one read request now (a push notification): confirm the announced transfer, then read what is new.</summary>
    public async Task ServeAsync(WalletReadRequest request, CancellationToken cancellationToken)
    {
        bool takenOver;
        using (var scope = scopes.CreateScope())
        {
            var leases = await scope.ServiceProvider.GetRequiredService<WalletLeases>().AcquireAsync(InstanceId, [request.WalletId], cancellationToken);
            // Another instance holds the wallet: it reads it at its next pass, within one interval.
            if (leases.Count == 0) return;
            takenOver = leases[0].Fresh;
        }

        if (request.TransactionId is { } transactionId)
        {
            await WithWalletAsync(request.WalletId, async ct =>
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ConfirmTransferCommand(request.WalletId, transactionId), ct);
                return 0;
            }, cancellationToken);
        }

        await ReadAsync(new ReadWalletCommand(request.WalletId, CatchUp: takenOver), cancellationToken);
    }

    private async Task<ReadWalletResult?> ReadAsync(ReadWalletCommand command, CancellationToken cancellationToken) =>
        await WithWalletAsync(command.WalletId, async ct =>
        {
            // A fresh scope (and DbContext) per wallet: one wallet's failure cannot poison the next.
            using var scope = scopes.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, ct);
        }, cancellationToken);

    private async Task<T?> WithWalletAsync<T>(Guid walletId, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = _walletGates.GetOrAdd(walletId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Reading wallet {WalletId} failed", walletId);
            return default;
        }
        finally
        {
            gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        // stoppingToken only stops new work; the work in hand runs on _abort, cancelled when the host's
        // shutdown timeout runs out (StopAsync), so a drained instance finishes what it started.
        var pushes = ServeRequestsAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        try
        {
            do
            {
                try
                {
                    var pass = await RunOnceAsync(_abort.Token);
                    if (pass.Accepted + pass.Rejected + pass.Expired > 0 || pass.Behind > 0)
                        logger.LogInformation("Payment pass: {Pass}", pass);
                }
                catch (Exception ex) when (!_abort.IsCancellationRequested)
                {
                    logger.LogError(ex, "Payment pass failed");
                }
            }
            while (!stoppingToken.IsCancellationRequested && await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await pushes;
    }

    private async Task ServeRequestsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in requests.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await ServeAsync(request, _abort.Token);
                }
                catch (Exception ex) when (!_abort.IsCancellationRequested)
                {
                    logger.LogError(ex, "Serving a read request for wallet {WalletId} failed", request.WalletId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// A drained instance (SIGTERM) finishes the pass in hand, then gives its wallets back, so another
    /// instance takes them over at its next pass instead of waiting for the leases to expire.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Draining = true;
        // The host's shutdown timeout: past it, the work in hand is cancelled (its transactions roll back).
        await using (cancellationToken.Register(() => _abort.Cancel()))
            await base.StopAsync(cancellationToken);
        // Past the timeout base.StopAsync returns at once: let the cancelled work unwind (briefly)
        // before the leases go, so another instance does not read the same wallets alongside it.
        if (ExecuteTask is { IsCompleted: false } running) await Task.WhenAny(running, Task.Delay(UnwindTime, clock));
        try
        {
            using var scope = scopes.CreateScope();
            using var bounded = new CancellationTokenSource(UnwindTime, clock);
            var released = await scope.ServiceProvider.GetRequiredService<WalletLeases>().ReleaseAllAsync(InstanceId, bounded.Token);
            if (released > 0) logger.LogInformation("Released {Count} wallet leases at shutdown", released);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Releasing wallet leases at shutdown failed; they expire by themselves");
        }
    }

    /// <summary>Set when the host began stopping: readiness turns unhealthy so a load balancer sends no new work.</summary>
    public bool Draining { get; private set; }

    // The semaphores and _abort are not disposed: a pass abandoned at the shutdown timeout may still
    // release or read them, and they hold no unmanaged resource unless a wait handle is asked for.
}

/// <param name="Accepted">Transfers counted toward orders.</param>
/// <param name="Rejected">Transfers left in sellers' inboxes.</param>
/// <param name="Expired">Orders settled after their deadline (expired, refund due, unverifiable).</param>
/// <param name="Behind">Wallets with history still unread after the pass.</param>
public sealed record PaymentWatcherPass(int Wallets, int FailedWallets, int Accepted, int Rejected, int Expired, int Behind);
