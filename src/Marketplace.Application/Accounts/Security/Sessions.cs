using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;

namespace Marketplace.Application.Accounts.Security;

internal static class Sessions
{
    /// <summary>Adds a new session with its first refresh token; the caller saves.</summary>
    public static SessionGrant Start(IApplicationDbContext db, Account account, DateTimeOffset now, AccountSecurityOptions options)
    {
        var session = new Session(Guid.NewGuid(), account.Id, now, options.SessionLifetime);
        var token = RefreshTokens.New();
        var stored = session.IssueRefreshToken(RefreshTokens.Hash(token), now, options.RefreshTokenLifetime);
        db.Sessions.Add(session);
        return new SessionGrant(account.Id, account.Email, session.Id, token, stored.ExpiresAt);
    }
}
