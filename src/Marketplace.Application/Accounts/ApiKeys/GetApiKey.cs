using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.ApiKeys;

/// <summary>One of the caller's keys; another account's key is reported as missing.</summary>
public sealed record GetApiKeyQuery(Guid Id) : IQuery<ApiKeyDto>;

public sealed class GetApiKeyHandler(IApplicationDbContext db, ICurrentUser currentUser, OperatingMode mode, TimeProvider clock)
    : IQueryHandler<GetApiKeyQuery, ApiKeyDto>
{
    public async ValueTask<ApiKeyDto> Handle(GetApiKeyQuery query, CancellationToken cancellationToken)
    {
        var accountId = currentUser.RequireAccountId();
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == query.Id && k.AccountId == accountId, cancellationToken)
                  ?? throw new NotFoundException("API key", query.Id);
        return key.ToDto(mode, clock.GetUtcNow());
    }
}
