using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Wallets.ConnectWallet;

/// <summary>
/// Connects a seller's wallet. The token is checked against the rail before anything is saved,
/// then stored encrypted. Connecting the same wallet again replaces its token.
/// </summary>
public sealed record ConnectWalletCommand(string Provider, string Account, string Token) : ICommand<WalletDto>
{
    public override string ToString() => $"ConnectWalletCommand {{ Provider = {Provider}, Account = {Account} }}";
}

public sealed class ConnectWalletHandler(
    IApplicationDbContext db, ICurrentUser currentUser, IPaymentRails rails, ISecretProtector protector, TimeProvider clock)
    : ICommandHandler<ConnectWalletCommand, WalletDto>
{
    public async ValueTask<WalletDto> Handle(ConnectWalletCommand command, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        var provider = command.Provider.Trim().ToLowerInvariant();
        var rail = rails.Get(provider); // the validator already checked the provider exists
        var account = rail.NormalizeAccount(command.Account)
                      ?? throw new UnprocessableException("wallet.account", "The account is not valid for this provider.", "account");

        try
        {
            await rail.VerifyAsync(new WalletCredentials(account, command.Token.Trim()), cancellationToken);
        }
        catch (PaymentRailException ex)
        {
            throw ex.Kind switch
            {
                PaymentRailErrorKind.InvalidCredentials => new UnprocessableException(
                    "wallet.token_invalid", "The wallet rejected the token: it is unknown, expired or revoked.", "token"),
                PaymentRailErrorKind.MissingPermission => new UnprocessableException(
                    "wallet.token_permissions",
                    "The token lacks a permission the marketplace needs: wallet profile and payment history must be readable.", "token"),
                PaymentRailErrorKind.AccountMismatch => new UnprocessableException(
                    "wallet.account_mismatch", "The token belongs to a different wallet than the account given.", "account"),
                _ => new UnprocessableException(
                    "wallet.unverifiable", "The wallet could not be reached to verify the token; try again shortly."),
            };
        }

        var encrypted = protector.Protect(command.Token.Trim());
        var existing = await db.Wallets.FirstOrDefaultAsync(w => w.Provider == provider && w.Account == account, cancellationToken);
        if (existing is not null)
        {
            if (existing.OwnerId != ownerId)
                throw new ConflictException("wallet.taken", "This wallet is already connected to another account.");
            existing.ReplaceToken(encrypted);
            await db.SaveChangesAsync(cancellationToken);
            return WalletDto.From(existing);
        }

        var wallet = new Wallet(Guid.NewGuid(), ownerId, provider, account, encrypted, clock.GetUtcNow());
        db.Wallets.Add(wallet);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            throw new ConflictException("wallet.taken", "This wallet is already connected.");
        }

        return WalletDto.From(wallet);
    }
}
