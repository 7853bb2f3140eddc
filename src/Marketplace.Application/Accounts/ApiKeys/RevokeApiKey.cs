using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.ApiKeys;

/// <summary>Revokes one of the caller's keys: the next request with it is refused. Revoking again changes nothing.</summary>
public sealed record RevokeApiKeyCommand(Guid Id) : ICommand;

public sealed class RevokeApiKeyHandler(IApplicationDbContext db, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<RevokeApiKeyCommand>
{
    public async ValueTask<Unit> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var accountId = currentUser.RequireAccountId();
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == command.Id && k.AccountId == accountId, cancellationToken)
                  ?? throw new NotFoundException("API key", command.Id);
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
