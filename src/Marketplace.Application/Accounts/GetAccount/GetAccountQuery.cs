using Marketplace.Application.Accounts.Register;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.GetAccount;

/// <summary>The caller's own account (the resource registration creates); anyone else's is not found.</summary>
public sealed record GetAccountQuery(Guid AccountId) : IQuery<AccountDto>;

public sealed class GetAccountHandler(IApplicationDbContext db, ICurrentUser currentUser) : IQueryHandler<GetAccountQuery, AccountDto>
{
    public async ValueTask<AccountDto> Handle(GetAccountQuery query, CancellationToken cancellationToken)
    {
        var callerId = currentUser.RequireAccountId();
        if (query.AccountId != callerId) throw new NotFoundException("Account", query.AccountId);
        return await db.Accounts.AsNoTracking()
                   .Where(a => a.Id == callerId)
                   .Select(a => new AccountDto(a.Id, a.Email, a.CreatedAt, a.DisplayName))
                   .SingleOrDefaultAsync(cancellationToken)
               ?? throw new NotFoundException("Account", query.AccountId);
    }
}
