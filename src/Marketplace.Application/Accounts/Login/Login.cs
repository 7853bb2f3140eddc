using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.Login;

/// <summary>Checks credentials; the host turns the returned identity into a bearer token.</summary>
public sealed record LoginCommand(string Email, string Password) : ICommand<LoginResult>
{
    public override string ToString() => $"LoginCommand {{ Email = {Email} }}";
}

public sealed record LoginResult(Guid AccountId, string Email);

public sealed class LoginHandler(IApplicationDbContext db, IPasswordHasher hasher)
    : ICommandHandler<LoginCommand, LoginResult>
{
    public async ValueTask<LoginResult> Handle(LoginCommand command, CancellationToken cancellationToken)
    {
        var email = Account.NormalizeEmail(command.Email);
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Email == email, cancellationToken);
        // Same answer for unknown email and wrong password: do not reveal which accounts exist.
        if (account is null) throw new UnauthorizedException("Invalid email or password.");

        switch (hasher.Verify(account.PasswordHash, command.Password))
        {
            case PasswordCheck.Failed:
                throw new UnauthorizedException("Invalid email or password.");
            case PasswordCheck.SuccessRehashNeeded:
                account.ChangePasswordHash(hasher.Hash(command.Password));
                await db.SaveChangesAsync(cancellationToken);
                break;
        }

        return new LoginResult(account.Id, account.Email);
    }
}
