using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.ApiKeys;

/// <summary>The caller's API keys, newest first, revoked and expired ones included (never a secret).</summary>
public sealed record ListApiKeysQuery : IQuery<IReadOnlyList<ApiKeyDto>>;

public sealed class ListApiKeysHandler(IApplicationDbContext db, ICurrentUser currentUser, OperatingMode mode, TimeProvider clock)
    : IQueryHandler<ListApiKeysQuery, IReadOnlyList<ApiKeyDto>>
{
    public async ValueTask<IReadOnlyList<ApiKeyDto>> Handle(ListApiKeysQuery query, CancellationToken cancellationToken)
    {
        var accountId = currentUser.RequireAccountId();
        var now = clock.GetUtcNow();
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId).ToListAsync(cancellationToken);
        return keys.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id).Select(k => k.ToDto(mode, now)).ToList();
    }
}
