namespace Marketplace.Application.Accounts.ApiKeys;

/// <param name="Hint">The key without its secret but the last four characters, e.g. mkp_test_3f2a…_…Xy9Q.</param>
/// <param name="Active">False once revoked or expired.</param>
public sealed record ApiKeyDto(
    Guid Id, string Name, IReadOnlyList<string> Scopes, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active);

/// <summary>The answer to creating a key: the only time the whole key is ever shown.</summary>
/// <param name="Key">The whole key, to send as <c>Authorization: Bearer</c> or <c>X-Api-Key</c>. Store it now: it cannot be shown again.</param>
public sealed record CreatedApiKeyDto(
    Guid Id, string Name, IReadOnlyList<string> Scopes, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);
