namespace Marketplace.Domain.Accounts;

/// <summary>
/// A long-lived credential an account creates for its own automation (a reseller's script, a
/// storefront): it acts as the account, limited to its scopes. Only the SHA-256 of its secret is kept;
/// the whole key is shown once, when it is created.
/// </summary>
public sealed class ApiKey
{
    public const int MaxNameLength = 100;

    /// <summary>Last use is written at most this often per key, so a busy key is not a write per request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private ApiKey() { }

    public ApiKey(Guid id, Guid accountId, string name, IEnumerable<string> scopes, byte[] secretHash, string lastFour,
        DateTimeOffset createdAt, DateTimeOffset? expiresAt)
    {
        var list = scopes.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0 || !list.All(ApiScopes.IsKnown)) throw new ArgumentException("An API key needs known scopes.", nameof(scopes));
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength) throw new ArgumentException("Invalid API key name.", nameof(name));
        if (expiresAt is { } end && end <= createdAt) throw new ArgumentException("An API key must expire after it is created.", nameof(expiresAt));
        Id = id;
        AccountId = accountId;
        Name = name;
        Scopes = string.Join(' ', list);
        SecretHash = secretHash;
        LastFour = lastFour;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>Space-separated, as OAuth writes scopes.</summary>
    public string Scopes { get; private set; } = "";

    /// <summary>SHA-256 of the secret part of the key: the secret has 256 random bits, so a fast hash is enough.</summary>
    public byte[] SecretHash { get; private set; } = [];

    /// <summary>The last four characters of the secret, so the owner can tell keys apart.</summary>
    public string LastFour { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } end || end > now);

    /// <summary>Revokes the key; revoking twice keeps the first time.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
