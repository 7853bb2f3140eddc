namespace Marketplace.Client.Models;

/// <param name="Scopes">listings:read, listings:write, orders:read, orders:write, disputes:read, disputes:write,
/// wallets:read, wallets:write, webhooks:read, webhooks:write.</param>
public sealed record CreateApiKeyRequest(string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt = null);

/// <summary>A key as its owner lists it: never the secret (<see cref="Hint"/> keeps its last four characters).</summary>
public sealed record ApiKey(
    Guid Id, string Name, IReadOnlyList<string> Scopes, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active);

/// <summary>The answer to creating a key: <see cref="Key"/> is the whole key, shown this once. Store it now.</summary>
public sealed record CreatedApiKey(
    Guid Id, string Name, IReadOnlyList<string> Scopes, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Key);
