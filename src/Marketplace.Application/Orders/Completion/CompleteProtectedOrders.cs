using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Orders;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Orders.Completion;

/// <summary>
/// Completes delivered orders whose protection window has ended with no dispute open. Each order is
/// completed under its row lock with its status re-checked, so several instances running this at
/// once complete each order once (the loser finds it complete and skips it).
/// </summary>
public sealed record CompleteProtectedOrdersCommand(int BatchSize = 200) : ICommand<int>;

public sealed class CompleteProtectedOrdersHandler(IApplicationDbContext db, TimeProvider clock, ILogger<CompleteProtectedOrdersHandler> logger)
    : ICommandHandler<CompleteProtectedOrdersCommand, int>
{
    public async ValueTask<int> Handle(CompleteProtectedOrdersCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Delivered && o.CompletedAt == null && o.ProtectionEndsAt <= now && o.OpenDisputeId == null)
            .OrderBy(o => o.ProtectionEndsAt)
            .Select(o => o.Id)
            .Take(command.BatchSize)
            .ToListAsync(cancellationToken);
        var completed = 0;
        foreach (var id in due)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var order = await db.LockOrderAsync(id, cancellationToken);
            // Null or false: a dispute opened meanwhile, or another instance was first.
            if (order is not null && order.CompleteAfterProtection(now))
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                completed++;
            }

            db.ChangeTracker.Clear();
        }

        if (completed > 0) logger.LogInformation("{Count} orders completed after their protection window", completed);
        return completed;
    }
}
