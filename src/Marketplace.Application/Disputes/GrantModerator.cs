using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Accounts;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Disputes;

/// <summary>A moderator gives the moderator role to another account (by email). Moderators only (403 otherwise); 404 for an unknown email.</summary>
public sealed record GrantModeratorCommand(string Email) : ICommand<ModeratorDto>;

public sealed record ModeratorDto(Guid AccountId, string Email);

public sealed class GrantModeratorValidator : AbstractValidator<GrantModeratorCommand>
{
    public GrantModeratorValidator() => RuleFor(c => c.Email).NotEmpty().MaximumLength(254).SingleLine().EmailAddress();
}

public sealed class GrantModeratorHandler(IApplicationDbContext db, ICurrentUser currentUser, DisputeAccess access)
    : ICommandHandler<GrantModeratorCommand, ModeratorDto>
{
    public async ValueTask<ModeratorDto> Handle(GrantModeratorCommand command, CancellationToken cancellationToken)
    {
        var callerId = currentUser.RequireAccountId();
        if (!await access.IsModeratorAsync(callerId, cancellationToken))
            throw new ForbiddenException("dispute.not_moderator", "Only a moderator can grant the moderator role.");
        var email = Account.NormalizeEmail(command.Email);
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Email == email, cancellationToken)
                      ?? throw new NotFoundException("Account", email);
        account.MakeModerator();
        await db.SaveChangesAsync(cancellationToken);
        return new ModeratorDto(account.Id, account.Email);
    }
}
