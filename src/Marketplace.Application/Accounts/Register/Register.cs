using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.Register;

public sealed record RegisterCommand(string Email, string Password) : ICommand<AccountDto>
{
    public override string ToString() => $"RegisterCommand {{ Email = {Email} }}";
}

public sealed record AccountDto(Guid Id, string Email, DateTimeOffset CreatedAt);

public sealed class RegisterHandler(IApplicationDbContext db, IPasswordHasher hasher, TimeProvider clock)
    : ICommandHandler<RegisterCommand, AccountDto>
{
    public async ValueTask<AccountDto> Handle(RegisterCommand command, CancellationToken cancellationToken)
    {
        var email = Account.NormalizeEmail(command.Email);
        if (await db.Accounts.AnyAsync(a => a.Email == email, cancellationToken))
            throw new ConflictException("account.exists", "An account with this email already exists.");

        var account = new Account(Guid.NewGuid(), email, hasher.Hash(command.Password), clock.GetUtcNow());
        db.Accounts.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Two registrations raced past the check above; the unique index decided.
            throw new ConflictException("account.exists", "An account with this email already exists.");
        }

        return new AccountDto(account.Id, account.Email, account.CreatedAt);
    }
}
