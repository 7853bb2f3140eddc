using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.Register;

/// <param name="DisplayName">Optional public name shown with the account's listings (see PATCH /accounts/{id}).</param>
public sealed record RegisterCommand(string Email, string Password, string? DisplayName = null) : ICommand<AccountDto>
{
    public override string ToString() => $"RegisterCommand {{ Email = {Email} }}";
}

/// <param name="DisplayName">The public name shown with the account's listings; null when none was chosen.</param>
public sealed record AccountDto(Guid Id, string Email, DateTimeOffset CreatedAt, string? DisplayName = null);

public sealed class RegisterHandler(IApplicationDbContext db, IPasswordHasher hasher, TimeProvider clock)
    : ICommandHandler<RegisterCommand, AccountDto>
{
    public async ValueTask<AccountDto> Handle(RegisterCommand command, CancellationToken cancellationToken)
    {
        var email = Account.NormalizeEmail(command.Email);
        if (await db.Accounts.AnyAsync(a => a.Email == email, cancellationToken))
            throw new ConflictException("account.exists", "An account with this email already exists.");

        var account = new Account(Guid.NewGuid(), email, hasher.Hash(command.Password), clock.GetUtcNow());
        if (command.DisplayName is not null) account.ChangeDisplayName(command.DisplayName);
        if (account.DisplayNameKey is { } key && await db.Accounts.AnyAsync(a => a.DisplayNameKey == key, cancellationToken))
            throw DisplayNames.Taken();
        db.Accounts.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Two registrations raced past the checks above; a unique index decided which.
            if (account.DisplayNameKey is { } takenKey && await db.Accounts.AnyAsync(a => a.DisplayNameKey == takenKey, CancellationToken.None))
                throw DisplayNames.Taken();
            throw new ConflictException("account.exists", "An account with this email already exists.");
        }

        return new AccountDto(account.Id, account.Email, account.CreatedAt, account.DisplayName);
    }
}
