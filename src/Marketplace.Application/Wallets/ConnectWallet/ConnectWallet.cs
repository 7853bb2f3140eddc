using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Payments.Rails;
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
    IApplicationDbContext db, ICurrentUser currentUser, IRailRegistry rails, ISecretProtector protector, TimeProvider clock,
    OperatingMode mode)
    : ICommandHandler<ConnectWalletCommand, WalletDto>
{
    public async ValueTask<WalletDto> Handle(ConnectWalletCommand command, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        // The validator already checked the provider is a rail that connects wallets.
        var connector = Connector(rails, command.Provider) ?? throw new InvalidOperationException("Unknown provider passed validation.");
        var provider = connector.Method.Value;
        var account = connector.NormalizeAccount(command.Account)
                      ?? throw new UnprocessableException("wallet.account", "The account is not valid for this provider.", "account");

        try
        {
            await VerifyWithinDeadlineAsync(connector, new WalletCredentials(account, command.Token.Trim()), cancellationToken);
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
                PaymentRailErrorKind.Rejected => new UnprocessableException("wallet.rejected", ex.Message, "token"),
                // Unreachable, rate-limited or too slow: nothing is wrong with the request, the caller retries (503).
                _ => ex,
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

        var wallet = new Wallet(Guid.NewGuid(), ownerId, provider, account, encrypted, clock.GetUtcNow(), mode.IsSandbox);
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

    /// <summary>
    /// A person waits on this request: the wallet answers within the verification deadline or the
    /// caller gets a 503 at once, instead of waiting out every retry of a dead endpoint.
    /// </summary>
    private async Task<WalletAccess> VerifyWithinDeadlineAsync(IWalletConnector connector, WalletCredentials credentials, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(connector.VerificationDeadline, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await connector.VerifyAsync(credentials, linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && deadline.IsCancellationRequested
                                   && !cancellationToken.IsCancellationRequested)
        {
            throw new PaymentRailException(PaymentRailErrorKind.Unavailable, "The wallet did not answer in time.", ex);
        }
    }

    /// <summary>The wallet connector of the rail a client named (any case, surrounding spaces ignored); null when there is none.</summary>
    internal static IWalletConnector? Connector(IRailRegistry rails, string? provider) =>
        PaymentMethodId.TryParse(provider) is { } method ? rails.Find<IWalletConnector>(method) : null;

    /// <summary>The rails a seller can connect a wallet of.</summary>
    internal static IEnumerable<string> Connectable(IRailRegistry rails) =>
        rails.Methods.Where(m => rails.Find<IWalletConnector>(m) is not null).Select(m => m.Value);
}
