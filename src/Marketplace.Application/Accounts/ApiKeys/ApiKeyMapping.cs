using Marketplace.Application.Common.Models;
using Marketplace.Domain.Accounts;

namespace Marketplace.Application.Accounts.ApiKeys;

internal static class ApiKeyMapping
{
    public static ApiKeyDto ToDto(this ApiKey key, OperatingMode mode, DateTimeOffset now) => new(
        key.Id, key.Name, key.ScopeList, ApiKeyTokens.Hint(mode, key.Id, key.LastFour), key.CreatedAt, key.ExpiresAt,
        key.LastUsedAt, key.RevokedAt, key.IsActive(now));
}
