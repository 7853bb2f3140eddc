using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.Logout;

/// <summary>Ends the caller's session: its refresh tokens and access tokens stop working at once.</summary>
public sealed record LogoutCommand : ICommand;

public sealed class LogoutHandler(IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock) : ICommandHandler<LogoutCommand>
{
    public async ValueTask<Unit> Handle(LogoutCommand command, CancellationToken cancellationToken)
    {
        var accountId = currentUser.RequireAccountId();
        var sessionId = currentUser.SessionId ?? throw new UnauthorizedException();
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId && s.AccountId == accountId, cancellationToken)
                      ?? throw new UnauthorizedException();
        session.Revoke(clock.GetUtcNow(), SessionEndReason.Logout);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
