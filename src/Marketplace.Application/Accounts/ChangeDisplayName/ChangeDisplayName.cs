using FluentValidation;
using Marketplace.Application.Accounts.Register;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Accounts.ChangeDisplayName;

/// <summary>
/// Sets the caller's public name (null removes it). Names are unique by what a buyer can tell apart
/// (<see cref="Domain.Accounts.DisplayName.Key"/>): a name too close to another account's is 409
/// <c>account.display_name_taken</c>. The caller's own account only; any other id is 404.
/// </summary>
public sealed record ChangeDisplayNameCommand(Guid AccountId, string? DisplayName) : ICommand<AccountDto>;

public sealed class ChangeDisplayNameValidator : AbstractValidator<ChangeDisplayNameCommand>
{
    public ChangeDisplayNameValidator() => RuleFor(c => c.DisplayName).ValidDisplayName();
}

public sealed class ChangeDisplayNameHandler(IApplicationDbContext db, ICurrentUser currentUser)
    : ICommandHandler<ChangeDisplayNameCommand, AccountDto>
{
    public async ValueTask<AccountDto> Handle(ChangeDisplayNameCommand command, CancellationToken cancellationToken)
    {
        var callerId = currentUser.RequireAccountId();
        if (command.AccountId != callerId) throw new NotFoundException("Account", command.AccountId);
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == callerId, cancellationToken)
                      ?? throw new NotFoundException("Account", command.AccountId);

        account.ChangeDisplayName(command.DisplayName);
        if (account.DisplayNameKey is { } key && await db.Accounts.AnyAsync(a => a.DisplayNameKey == key && a.Id != callerId, cancellationToken))
            throw DisplayNames.Taken();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Another account took a name with the same key after the check above; the unique index decided.
            throw DisplayNames.Taken();
        }

        return new AccountDto(account.Id, account.Email, account.CreatedAt, account.DisplayName);
    }
}
