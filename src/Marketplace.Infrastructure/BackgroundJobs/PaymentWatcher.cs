using Marketplace.Application.Orders.ExpireOverdueOrders;
using Marketplace.Application.Payments.ListWalletsToWatch;
using Marketplace.Application.Payments.SyncWalletPayments;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Infrastructure.BackgroundJobs;

/// <summary>
/// The matcher's driver. Each pass: read every watched wallet (matching payments), then expire
/// what is overdue, in that order, so expiry always sees the newest history. The first pass runs
/// at start-up, which re-checks every pending order for payments made while the service was down.
/// Tests call <see cref="RunOnceAsync"/> instead of waiting for the timer.
/// </summary>
public sealed class PaymentWatcher(
    IServiceScopeFactory scopes, IOptions<PaymentWatcherOptions> options, TimeProvider clock, ILogger<PaymentWatcher> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<PaymentWatcherPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            int accepted = 0, rejected = 0, failedWallets = 0;
            IReadOnlyList<Guid> wallets;
            using (var scope = scopes.CreateScope())
                wallets = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ListWalletsToWatchQuery(options.Value.ExpiryGrace), cancellationToken);

            foreach (var walletId in wallets)
            {
                // A fresh scope (and DbContext) per wallet: one wallet's failure cannot poison the next.
                using var scope = scopes.CreateScope();
                try
                {
                    var result = await scope.ServiceProvider.GetRequiredService<ISender>()
                        .Send(new SyncWalletPaymentsCommand(walletId, options.Value.ExpiryGrace), cancellationToken);
                    accepted += result.Accepted;
                    rejected += result.Rejected;
                    if (!result.WalletRead) failedWallets++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failedWallets++;
                    logger.LogError(ex, "Payment sync of wallet {WalletId} failed", walletId);
                }
            }

            int expired;
            using (var scope = scopes.CreateScope())
                expired = await scope.ServiceProvider.GetRequiredService<ISender>()
                    .Send(new ExpireOverdueOrdersCommand(options.Value.ExpiryGrace), cancellationToken);

            return new PaymentWatcherPass(wallets.Count, failedWallets, accepted, rejected, expired);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                var pass = await RunOnceAsync(stoppingToken);
                if (pass.Accepted + pass.Rejected + pass.Expired > 0)
                    logger.LogInformation("Payment pass: {Pass}", pass);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Payment pass failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }
}

public sealed record PaymentWatcherPass(int Wallets, int FailedWallets, int Accepted, int Rejected, int Expired);
