using Marketplace.Application.Accounts.Security;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Accounts.Login;

/// <summary>Checks credentials and starts a session; the host turns the grant into a bearer token pair.</summary>
public sealed record LoginCommand(string Email, string Password) : ICommand<SessionGrant>
{
    public override string ToString() => $"LoginCommand {{ Email = {Email} }}";
}

public sealed class LoginHandler(
    IApplicationDbContext db, IPasswordHasher hasher, DummyPasswordHash dummyHash, TimeProvider clock, IOptions<AccountSecurityOptions> options)
    : ICommandHandler<LoginCommand, SessionGrant>
{
    private const string InvalidCredentials = "Invalid email or password.";

    public async ValueTask<SessionGrant> Handle(LoginCommand command, CancellationToken cancellationToken)
    {
        var email = Account.NormalizeEmail(command.Email);
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Email == email, cancellationToken);
        if (account is null)
        {
            // Same work and same answer as a wrong password: neither timing nor body reveals which accounts exist.
            hasher.Verify(dummyHash.Value, command.Password);
            throw new UnauthorizedException(InvalidCredentials);
        }

        var check = hasher.Verify(account.PasswordHash, command.Password);
        var now = clock.GetUtcNow();
        // Locked: the same 429 whether or not the password was right, so guessing learns nothing.
        if (account.IsLockedOut(now)) throw TooManyAttemptsException.LockedOut(account.LockedOutUntil!.Value - now);

        if (check == PasswordCheck.Failed)
        {
            await Lockout.RecordWrongPasswordAsync(db, account.Id, now, options.Value.Lockout, cancellationToken);
            throw new UnauthorizedException(InvalidCredentials);
        }

        if (check == PasswordCheck.SuccessRehashNeeded) account.ChangePasswordHash(hasher.Hash(command.Password));
        account.RecordCorrectPassword();
        var grant = Sessions.Start(db, account, now, options.Value);
        await db.SaveChangesAsync(cancellationToken);
        return grant;
    }
}
