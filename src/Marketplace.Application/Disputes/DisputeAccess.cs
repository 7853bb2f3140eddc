using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Orders;
using Marketplace.Domain.Orders;
using Marketplace.Domain.Disputes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Disputes;

/// <summary>
/// Who may see and act on a dispute: its buyer, its seller, and moderators. Anyone else gets 404, as
/// if it did not exist. A moderator is an account with the role, or the one named by
/// <see cref="DisputeOptions.FirstModeratorAccountId"/>; the operator can also grant the role with
/// <c>dotnet Marketplace.Api.dll grant-moderator EMAIL</c>. Moderators grant it to others.
/// </summary>
public sealed class DisputeAccess(IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock, IOptions<DisputeOptions> options)
{
    public Task<bool> IsModeratorAsync(Guid accountId, CancellationToken cancellationToken) =>
        accountId == options.Value.FirstModeratorAccountId
            ? Task.FromResult(true)
            : db.Accounts.AsNoTracking().AnyAsync(a => a.Id == accountId && a.IsModerator, cancellationToken);

    /// <summary>The caller's role in the dispute, or 404.</summary>
    public async Task<(Guid CallerId, string Role)> RoleInAsync(Dispute dispute, CancellationToken cancellationToken)
    {
        var callerId = currentUser.RequireAccountId();
        if (dispute.BuyerId == callerId) return (callerId, DisputeRoles.Buyer);
        if (dispute.SellerId == callerId) return (callerId, DisputeRoles.Seller);
        if (await IsModeratorAsync(callerId, cancellationToken)) return (callerId, DisputeRoles.Moderator);
        throw new NotFoundException("Dispute", dispute.Id);
    }

    /// <summary>Loads the dispute with its events (tracked, for a change) and the caller's role in it; 404 for strangers.</summary>
    public async Task<(Dispute Dispute, Guid CallerId, string Role)> LoadAsync(Guid disputeId, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.Disputes.Include(d => d.Events).AsQueryable();
        if (!tracked) query = query.AsNoTracking();
        var dispute = await query.SingleOrDefaultAsync(d => d.Id == disputeId, cancellationToken)
                      ?? throw new NotFoundException("Dispute", disputeId);
        var (callerId, role) = await RoleInAsync(dispute, cancellationToken);
        return (dispute, callerId, role);
    }

    /// <summary>
    /// For a change, inside the caller's transaction: the order's row lock first (the order and its
    /// dispute change together, and payments, expiry and completion lock the order too), then the
    /// dispute, fresh and tracked. 404 for strangers.
    /// </summary>
    public async Task<(Order Order, Dispute Dispute, Guid CallerId, string Role)> LockAsync(Guid disputeId, CancellationToken cancellationToken)
    {
        var orderId = await db.Disputes.Where(d => d.Id == disputeId).Select(d => (Guid?)d.OrderId).SingleOrDefaultAsync(cancellationToken)
                      ?? throw new NotFoundException("Dispute", disputeId);
        var order = await db.LockOrderAsync(orderId, cancellationToken) ?? throw new NotFoundException("Dispute", disputeId);
        var (dispute, callerId, role) = await LoadAsync(disputeId, tracked: true, cancellationToken);
        return (order, dispute, callerId, role);
    }

    /// <summary>The caller must be <paramref name="role"/> in this dispute (403 otherwise: they may see it, not do this).</summary>
    public static void Require(string actual, string role, string action)
    {
        if (actual != role) throw new ForbiddenException("dispute.forbidden", $"Only the {role} can {action}.");
    }

    /// <summary>
    /// One change of a dispute, start to end: a transaction, the order's lock, the dispute, the caller's
    /// role (403 unless <paramref name="role"/>, when given), the domain rule (its refusals become 409),
    /// the save. Returns the dispute as the caller sees it.
    /// </summary>
    public Task<DisputeDto> ChangeAsync(Guid disputeId, string? role, string action,
        Action<Order, Dispute, (Guid Id, string Role), DateTimeOffset> change, CancellationToken cancellationToken) =>
        ChangeAsync(disputeId, role, action, (order, dispute, caller, now) =>
        {
            change(order, dispute, caller, now);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <inheritdoc cref="ChangeAsync(Guid, string?, string, Action{Order, Dispute, ValueTuple{Guid, string}, DateTimeOffset}, CancellationToken)"/>
    public async Task<DisputeDto> ChangeAsync(Guid disputeId, string? role, string action,
        Func<Order, Dispute, (Guid Id, string Role), DateTimeOffset, Task> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (order, dispute, callerId, callerRole) = await LockAsync(disputeId, cancellationToken);
        if (role is not null) Require(callerRole, role, action);
        try
        {
            await change(order, dispute, (callerId, callerRole), clock.GetUtcNow());
        }
        catch (Marketplace.Domain.Common.DomainException ex)
        {
            throw new ConflictException(ex.Code, ex.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DisputeDto.From(dispute, callerRole);
    }
}
