namespace Marketplace.Domain.Accounts;

/// <summary>One refresh token of a <see cref="Session"/>: usable once, then replaced by the next.</summary>
public sealed class RefreshToken
{
    private RefreshToken() { }

    internal RefreshToken(Guid id, Guid sessionId, string tokenHash, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        Id = id;
        SessionId = sessionId;
        TokenHash = tokenHash;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }
    public Guid SessionId { get; private set; }

    /// <summary>SHA-256 of the token (the token itself is 256 random bits, never stored).</summary>
    public string TokenHash { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>When it was exchanged for the next one; a second use is theft or a replay.</summary>
    public DateTimeOffset? UsedAt { get; private set; }
}
