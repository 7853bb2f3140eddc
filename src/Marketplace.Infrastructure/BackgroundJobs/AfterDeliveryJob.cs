using Marketplace.Application.Disputes;
using Marketplace.Application.Orders.Completion;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Infrastructure.BackgroundJobs;

/// <summary>Settings of <see cref="AfterDeliveryJob"/> (section "AfterDelivery").</summary>
public sealed class AfterDeliveryOptions
{
    public const string Section = "AfterDelivery";

    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsValid() => Interval >= TimeSpan.FromMilliseconds(100) && Interval <= TimeSpan.FromHours(1);
}

/// <summary>
/// The deadlines after delivery: orders whose protection window ended complete, disputes whose seller
/// did not answer in time go to a moderator. Every instance may run it: each order and dispute is
/// changed under its order's row lock with its state re-checked, so nothing is done twice.
/// </summary>
public sealed class AfterDeliveryJob(IServiceScopeFactory scopes, IOptions<AfterDeliveryOptions> options, TimeProvider clock,
    ILogger<AfterDeliveryJob> logger) : BackgroundService
{
    /// <summary>One run: completes what is due, escalates what is overdue. Public so tests drive it with a fake clock.</summary>
    public async Task<AfterDeliveryPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var completed = await sender.Send(new CompleteProtectedOrdersCommand(), cancellationToken);
        var escalated = await sender.Send(new EscalateOverdueDisputesCommand(), cancellationToken);
        return new AfterDeliveryPass(completed, escalated);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "After-delivery pass failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

public sealed record AfterDeliveryPass(int Completed, int Escalated);
