using Marketplace.Application.Accounts.Security;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Accounts.RefreshSession;

/// <summary>
/// Exchanges a refresh token for the next one of its session (rotation). A token works once: a
/// second use means it was copied, so the whole session (every token descended from that login,
/// and its access tokens) ends.
/// </summary>
public sealed record RefreshSessionCommand(string RefreshToken) : ICommand<SessionGrant>
{
    public override string ToString() => "RefreshSessionCommand { }";
}

public sealed class RefreshSessionHandler(IApplicationDbContext db, TimeProvider clock, IOptions<AccountSecurityOptions> options)
    : ICommandHandler<RefreshSessionCommand, SessionGrant>
{
    private const string Invalid = "The refresh token is invalid or expired.";

    public async ValueTask<SessionGrant> Handle(RefreshSessionCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hash = RefreshTokens.Hash(command.RefreshToken);
        var presented = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (presented is null) throw new UnauthorizedException(Invalid);

        var session = await db.Sessions.FirstAsync(s => s.Id == presented.SessionId, cancellationToken);
        if (presented.UsedAt is not null) throw await EndAsReusedAsync(session, now, cancellationToken);
        if (!session.IsActive(now) || presented.ExpiresAt <= now) throw new UnauthorizedException(Invalid);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claim the token in one conditional statement: of two requests racing with the same token,
        // exactly one wins; the other is a reuse.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == presented.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, (DateTimeOffset?)now), cancellationToken);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            throw await EndAsReusedAsync(session, now, cancellationToken);
        }

        var token = RefreshTokens.New();
        var next = session.IssueRefreshToken(RefreshTokens.Hash(token), now, options.Value.RefreshTokenLifetime);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var email = await db.Accounts.Where(a => a.Id == session.AccountId).Select(a => a.Email).SingleAsync(cancellationToken);
        return new SessionGrant(session.AccountId, email, session.Id, token, next.ExpiresAt);
    }

    private async Task<UnauthorizedException> EndAsReusedAsync(Session session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        session.Revoke(now, SessionEndReason.RefreshTokenReused);
        await db.SaveChangesAsync(cancellationToken);
        return new UnauthorizedException("The refresh token was already used; the session has been ended. Log in again.");
    }
}
