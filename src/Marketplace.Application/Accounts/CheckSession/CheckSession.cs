using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.CheckSession;

/// <summary>Is this session of this account still live? Asked for every request that carries an access token.</summary>
public sealed record CheckSessionQuery(Guid AccountId, Guid SessionId) : IQuery<bool>;

public sealed class CheckSessionHandler(IApplicationDbContext db, TimeProvider clock) : IQueryHandler<CheckSessionQuery, bool>
{
    public async ValueTask<bool> Handle(CheckSessionQuery query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.Sessions.AsNoTracking().AnyAsync(
            s => s.Id == query.SessionId && s.AccountId == query.AccountId && s.RevokedAt == null && s.ExpiresAt > now,
            cancellationToken);
    }
}
