using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Disputes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Disputes;

/// <summary>
/// Disputes whose seller did not act before <see cref="Dispute.SellerRespondBy"/> go to a moderator;
/// a remedy owed after a decision for the buyer and not made by <see cref="Dispute.RemedyDueBy"/> is marked overdue.
/// Each under its order's row lock with the state re-checked, so several instances escalate each once.
/// </summary>
public sealed record EscalateOverdueDisputesCommand(int BatchSize = 200) : ICommand<int>;

public sealed class EscalateOverdueDisputesHandler(IApplicationDbContext db, TimeProvider clock,
    ILogger<EscalateOverdueDisputesHandler> logger)
    : ICommandHandler<EscalateOverdueDisputesCommand, int>
{
    public async ValueTask<int> Handle(EscalateOverdueDisputesCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Disputes.AsNoTracking()
            .Where(d => (d.Status == DisputeStatus.AwaitingSeller && d.SellerRespondBy <= now)
                        || (d.Resolution == DisputeResolution.ForBuyer && d.RemedyDoneAt == null && d.RemedyOverdueAt == null && d.RemedyDueBy <= now))
            .OrderBy(d => d.SellerRespondBy)
            .Select(d => d.Id).Take(command.BatchSize).ToListAsync(cancellationToken);
        var escalated = 0;
        foreach (var id in due)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var orderId = await db.Disputes.Where(d => d.Id == id).Select(d => d.OrderId).SingleAsync(cancellationToken);
            await Orders.OrderLocks.LockOrderAsync(db, orderId, cancellationToken);
            var dispute = await db.Disputes.Include(d => d.Events).SingleAsync(d => d.Id == id, cancellationToken);
            if (dispute.EscalateIfOverdue(now) | dispute.MarkRemedyOverdue(now))
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                escalated++;
            }

            db.ChangeTracker.Clear();
        }

        if (escalated > 0) logger.LogInformation("{Count} disputes escalated to a moderator after the seller's deadline", escalated);
        return escalated;
    }
}
