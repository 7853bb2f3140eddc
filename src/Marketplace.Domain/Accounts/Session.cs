namespace Marketplace.Domain.Accounts;

/// <summary>
/// One login on one device: the family of refresh tokens descended from it, each used once.
/// Access tokens name their session, so revoking it ends them too.
/// </summary>
public sealed class Session
{
    private readonly List<RefreshToken> _refreshTokens = [];

    private Session() { }

    public Session(Guid id, Guid accountId, DateTimeOffset now, TimeSpan lifetime)
    {
        Id = id;
        AccountId = accountId;
        CreatedAt = now;
        ExpiresAt = now + lifetime;
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The absolute end: refreshing never extends a session past it.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }
    public SessionEndReason? RevokedReason { get; private set; }

    public IReadOnlyCollection<RefreshToken> RefreshTokens => _refreshTokens;

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    /// <summary>Adds the next refresh token of the family (only its hash is kept).</summary>
    public RefreshToken IssueRefreshToken(string tokenHash, DateTimeOffset now, TimeSpan lifetime)
    {
        if (!IsActive(now)) throw new InvalidOperationException("An ended session cannot issue refresh tokens.");
        var expires = now + lifetime < ExpiresAt ? now + lifetime : ExpiresAt;
        var token = new RefreshToken(Guid.NewGuid(), Id, tokenHash, now, expires);
        _refreshTokens.Add(token);
        return token;
    }

    /// <summary>Ends the session; the first reason is kept.</summary>
    public void Revoke(DateTimeOffset now, SessionEndReason reason)
    {
        if (RevokedAt is not null) return;
        RevokedAt = now;
        RevokedReason = reason;
    }
}
