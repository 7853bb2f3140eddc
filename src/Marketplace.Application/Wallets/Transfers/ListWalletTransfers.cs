using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Payments;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Wallets.Transfers;

/// <summary>
/// The seller's reconciliation view: every incoming transfer the matcher recorded for one of the
/// caller's wallets, newest first, with its outcome. <c>inbox=true</c> keeps those waiting for the seller.
/// </summary>
public sealed record ListWalletTransfersQuery(Guid WalletId, bool? Inbox, PaymentOutcome? Outcome, int Page, int PageSize)
    : IQuery<PagedResult<WalletTransferDto>>;

public sealed class ListWalletTransfersValidator : AbstractValidator<ListWalletTransfersQuery>
{
    public ListWalletTransfersValidator()
    {
        RuleFor(q => q.Outcome).IsInEnum();
        RuleFor(q => q.Page).ValidPage();
        RuleFor(q => q.PageSize).InclusiveBetween(1, 100);
    }
}

public sealed class ListWalletTransfersHandler(IApplicationDbContext db, ICurrentUser currentUser)
    : IQueryHandler<ListWalletTransfersQuery, PagedResult<WalletTransferDto>>
{
    public async ValueTask<PagedResult<WalletTransferDto>> Handle(ListWalletTransfersQuery query, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        if (!await db.Wallets.AnyAsync(w => w.Id == query.WalletId && w.OwnerId == ownerId, cancellationToken))
            throw new NotFoundException("Wallet", query.WalletId);

        var transfers = db.IncomingPayments.AsNoTracking().Where(p => p.WalletId == query.WalletId);
        if (query.Outcome is { } outcome) transfers = transfers.Where(p => p.Outcome == outcome);
        if (query.Inbox == true) transfers = transfers.Where(p => PaymentOutcomes.NeedSeller.Contains(p.Outcome) && p.ResolvedAt == null);
        if (query.Inbox == false) transfers = transfers.Where(p => !PaymentOutcomes.NeedSeller.Contains(p.Outcome) || p.ResolvedAt != null);

        var total = await transfers.CountAsync(cancellationToken);
        var page = await transfers.OrderByDescending(p => p.OccurredAt).ThenBy(p => p.Id)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<WalletTransferDto>(page.Select(WalletTransferDto.From).ToList(), query.Page, query.PageSize, total);
    }
}
