using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.ApiKeys;

/// <param name="Name">What the key is for, e.g. "storefront" (1 to 100 characters).</param>
/// <param name="Scopes">What the key may do, e.g. ["orders:read", "orders:write"].</param>
/// <param name="ExpiresAt">Optional; the key stops working then. Must be in the future.</param>
public sealed record CreateApiKeyCommand(string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt = null) : ICommand<CreatedApiKeyDto>;

public sealed class CreateApiKeyHandler(IApplicationDbContext db, ICurrentUser currentUser, OperatingMode mode, TimeProvider clock)
    : ICommandHandler<CreateApiKeyCommand, CreatedApiKeyDto>
{
    /// <summary>Active keys (neither revoked nor expired) one account may hold.</summary>
    public const int MaxActiveKeysPerAccount = 20;

    public async ValueTask<CreatedApiKeyDto> Handle(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var accountId = currentUser.RequireAccountId();
        var now = clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The account's row lock (a no-op update; SQLite serialises all writers): two creations in
        // parallel count one after the other, so the cap holds without a check-then-insert race.
        var locked = await db.Accounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.FailedPasswordCount, a => a.FailedPasswordCount), cancellationToken);
        if (locked == 0) throw new UnauthorizedException();
        var active = await db.ApiKeys.CountAsync(
            k => k.AccountId == accountId && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now), cancellationToken);
        if (active >= MaxActiveKeysPerAccount)
            throw new ConflictException("api_key.limit_reached",
                $"An account may hold at most {MaxActiveKeysPerAccount} active API keys; revoke one first.");

        var secret = ApiKeyTokens.NewSecret();
        var key = new ApiKey(Guid.NewGuid(), accountId, command.Name.Trim(), command.Scopes, ApiKeyTokens.Hash(secret), secret[^4..],
            now, command.ExpiresAt?.ToUniversalTime());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new CreatedApiKeyDto(key.Id, key.Name, key.ScopeList, ApiKeyTokens.Hint(mode, key.Id, key.LastFour), key.CreatedAt,
            key.ExpiresAt, ApiKeyTokens.Format(mode, key.Id, secret));
    }
}
