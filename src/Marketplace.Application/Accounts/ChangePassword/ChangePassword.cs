using FluentValidation;
using FluentValidation.Results;
using Marketplace.Application.Accounts.Security;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Accounts.ChangePassword;

/// <summary>
/// Changes the caller's password after checking the current one, ends every session of the
/// account (other devices, and anyone holding a stolen token), and starts a fresh session for
/// the caller. Wrong current passwords count toward the lockout like wrong logins.
/// </summary>
public sealed record ChangePasswordCommand(string CurrentPassword, string NewPassword) : ICommand<SessionGrant>
{
    public override string ToString() => "ChangePasswordCommand { }";
}

public sealed class ChangePasswordHandler(
    IApplicationDbContext db, ICurrentUser currentUser, IPasswordHasher hasher, TimeProvider clock, IOptions<AccountSecurityOptions> options)
    : ICommandHandler<ChangePasswordCommand, SessionGrant>
{
    public async ValueTask<SessionGrant> Handle(ChangePasswordCommand command, CancellationToken cancellationToken)
    {
        var accountId = currentUser.RequireAccountId();
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
                      ?? throw new UnauthorizedException();

        var check = hasher.Verify(account.PasswordHash, command.CurrentPassword);
        var now = clock.GetUtcNow();
        if (account.IsLockedOut(now)) throw TooManyAttemptsException.LockedOut(account.LockedOutUntil!.Value - now);
        if (check == PasswordCheck.Failed)
        {
            await Lockout.RecordWrongPasswordAsync(db, account.Id, now, options.Value.Lockout, cancellationToken);
            throw new ValidationException([new ValidationFailure(nameof(command.CurrentPassword), "The current password is wrong.")]);
        }

        // The same rule as at sign-up; only here is the account's email known.
        if (string.Equals(command.NewPassword.Trim(), account.Email, StringComparison.OrdinalIgnoreCase))
            throw new ValidationException([new ValidationFailure(nameof(command.NewPassword), "The password must not be your email address.")]);

        account.ChangePassword(hasher.Hash(command.NewPassword), now);
        var sessions = await db.Sessions.Where(s => s.AccountId == accountId && s.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var session in sessions) session.Revoke(now, SessionEndReason.PasswordChanged);
        var grant = Sessions.Start(db, account, now, options.Value);
        await db.SaveChangesAsync(cancellationToken);
        return grant;
    }
}
