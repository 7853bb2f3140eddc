using Marketplace.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.Security;

internal static class Lockout
{
    /// <summary>
    /// Counts a wrong password in one statement, so parallel guesses cannot lose increments: the
    /// <c>MaxFailedAttempts</c>-th in a row locks the account for <c>Duration</c> and restarts the count.
    /// </summary>
    public static Task RecordWrongPasswordAsync(IApplicationDbContext db, Guid accountId, DateTimeOffset now,
        AccountSecurityOptions.LockoutOptions options, CancellationToken cancellationToken)
    {
        var max = options.MaxFailedAttempts;
        if (max <= 0)
            return db.Accounts.Where(a => a.Id == accountId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.FailedPasswordCount, a => a.FailedPasswordCount + 1), cancellationToken);

        DateTimeOffset? until = now + options.Duration;
        return db.Accounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.LockedOutUntil, a => a.FailedPasswordCount + 1 >= max ? until : a.LockedOutUntil)
                .SetProperty(a => a.FailedPasswordCount, a => a.FailedPasswordCount + 1 >= max ? 0 : a.FailedPasswordCount + 1),
                cancellationToken);
    }
}
