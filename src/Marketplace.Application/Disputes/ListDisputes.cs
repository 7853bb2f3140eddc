using FluentValidation;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Disputes;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Disputes;

/// <summary>
/// The caller's disputes as buyer or seller, newest first; a moderator with <c>queue=true</c> gets
/// every dispute waiting for a moderator (escalated), oldest first.
/// </summary>
public sealed record ListDisputesQuery(DisputeStatus? Status, bool Queue = false, int Page = 1, int PageSize = 20) : IQuery<PagedResult<DisputeSummaryDto>>;

public sealed record DisputeSummaryDto(Guid Id, Guid OrderId, string Role, DisputeReason Reason, DisputeStatus Status, DisputeResolution? Resolution,
    DateTimeOffset OpenedAt, DateTimeOffset SellerRespondBy);

public sealed class ListDisputesValidator : AbstractValidator<ListDisputesQuery>
{
    public ListDisputesValidator()
    {
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, 100);
    }
}

public sealed class ListDisputesHandler(IApplicationDbContext db, ICurrentUser currentUser, DisputeAccess access)
    : IQueryHandler<ListDisputesQuery, PagedResult<DisputeSummaryDto>>
{
    public async ValueTask<PagedResult<DisputeSummaryDto>> Handle(ListDisputesQuery query, CancellationToken cancellationToken)
    {
        var callerId = currentUser.RequireAccountId();
        var disputes = db.Disputes.AsNoTracking();
        if (query.Queue)
        {
            if (!await access.IsModeratorAsync(callerId, cancellationToken))
                throw new Common.Exceptions.ForbiddenException("dispute.not_moderator", "Only moderators see the moderation queue.");
            disputes = disputes.Where(d => d.Status == DisputeStatus.Escalated).OrderBy(d => d.EscalatedAt).ThenBy(d => d.Id);
        }
        else
        {
            disputes = disputes.Where(d => d.BuyerId == callerId || d.SellerId == callerId);
            if (query.Status is { } status) disputes = disputes.Where(d => d.Status == status);
            disputes = disputes.OrderByDescending(d => d.OpenedAt).ThenBy(d => d.Id);
        }

        var total = await disputes.CountAsync(cancellationToken);
        var page = await disputes.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken);
        return new PagedResult<DisputeSummaryDto>(page.Select(d => new DisputeSummaryDto(
                d.Id, d.OrderId,
                d.BuyerId == callerId ? DisputeRoles.Buyer : d.SellerId == callerId ? DisputeRoles.Seller : DisputeRoles.Moderator,
                d.Reason, d.Status, d.Resolution, d.OpenedAt, d.SellerRespondBy)).ToList(),
            query.Page, query.PageSize, total);
    }
}
