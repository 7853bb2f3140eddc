using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.ApiKeys;

/// <summary>
/// Checks a presented API key, on every request that carries one: one primary-key lookup, so a
/// revocation takes effect at the next request. Records the last use at most once a minute per key.
/// </summary>
public sealed record AuthenticateApiKeyCommand(Guid KeyId, string Secret) : ICommand<ApiKeyCheck>
{
    public override string ToString() => $"AuthenticateApiKeyCommand {{ KeyId = {KeyId} }}";
}

public enum ApiKeyRefusal
{
    None,
    /// <summary>No such key, or a wrong secret: told apart from nothing, so nothing can be probed.</summary>
    Invalid,
    Revoked,
    Expired,
}

public sealed record ApiKeyCheck(ApiKeyRefusal Refusal, Guid AccountId, IReadOnlyList<string> Scopes)
{
    public static readonly ApiKeyCheck Invalid = new(ApiKeyRefusal.Invalid, Guid.Empty, []);
}

public sealed class AuthenticateApiKeyHandler(IApplicationDbContext db, TimeProvider clock) : ICommandHandler<AuthenticateApiKeyCommand, ApiKeyCheck>
{
    public async ValueTask<ApiKeyCheck> Handle(AuthenticateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == command.KeyId, cancellationToken);
        // Hash and compare even when there is no row, so a missing id takes the time a wrong secret does.
        var matches = ApiKeyTokens.Matches(command.Secret, key?.SecretHash ?? new byte[32]);
        if (key is null || !matches) return ApiKeyCheck.Invalid;

        var now = clock.GetUtcNow();
        if (key.RevokedAt is not null) return ApiKeyCheck.Invalid with { Refusal = ApiKeyRefusal.Revoked };
        if (key.ExpiresAt is { } end && end <= now) return ApiKeyCheck.Invalid with { Refusal = ApiKeyRefusal.Expired };

        if (key.LastUsedAt is not { } last || now - last >= ApiKey.LastUsedResolution)
        {
            // Conditional, so instances racing on one busy key write once per minute between them.
            var stale = now - ApiKey.LastUsedResolution;
            await db.ApiKeys.Where(k => k.Id == key.Id && (k.LastUsedAt == null || k.LastUsedAt <= stale))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return new ApiKeyCheck(ApiKeyRefusal.None, key.AccountId, key.ScopeList);
    }
}
