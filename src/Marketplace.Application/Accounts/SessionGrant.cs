namespace Marketplace.Application.Accounts;

/// <summary>
/// A session the caller may use: the host turns it into an access token naming
/// <see cref="SessionId"/> and hands out <see cref="RefreshToken"/> (shown this once, stored hashed).
/// </summary>
public sealed record SessionGrant(Guid AccountId, string Email, Guid SessionId, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt)
{
    public override string ToString() => $"SessionGrant {{ AccountId = {AccountId}, SessionId = {SessionId} }}";
}
