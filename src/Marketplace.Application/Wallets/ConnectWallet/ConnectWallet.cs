using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Wallets;
using Marketplace.Application.Payments.Push;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Wallets.ConnectWallet;

/// <summary>
/// Connects a seller's wallet. The token is checked against the rail before anything is saved,
/// then stored encrypted. Connecting the same wallet again replaces its token (and the next read
/// catches up from the oldest unresolved order).
/// <para>
/// <see cref="Push"/> is opt-in: on QIWI only a token allowed to make payments without SMS may manage
/// notification hooks, and such a token can also spend the seller's money. Without it (or without a
/// public address for this service) the wallet is polled and works fully; <c>pushError</c> says why.
/// A hook the wallet already has is never replaced unless <see cref="ReplaceExistingHook"/>.
/// </para>
/// </summary>
public sealed record ConnectWalletCommand(string Provider, string Account, string Token, bool Push = false, bool ReplaceExistingHook = false)
    : ICommand<WalletDto>
{
    public override string ToString() => $"ConnectWalletCommand {{ Provider = {Provider}, Account = {Account}, Push = {Push} }}";
}

public sealed class ConnectWalletHandler(
    IApplicationDbContext db, ICurrentUser currentUser, IRailRegistry rails, ISecretProtector protector, TimeProvider clock,
    OperatingMode mode, IOptions<PushOptions> push, ILogger<ConnectWalletHandler> logger)
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

        var credentials = new WalletCredentials(account, command.Token.Trim());
        WalletAccess access;
        try
        {
            access = await VerifyWithinDeadlineAsync(connector, credentials, cancellationToken);
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
            await ArrangePushAsync(existing, connector.Method, credentials, access, command, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return WalletDto.From(existing);
        }

        var wallet = new Wallet(Guid.NewGuid(), ownerId, provider, account, encrypted, clock.GetUtcNow(), mode.IsSandbox);
        await ArrangePushAsync(wallet, connector.Method, credentials, access, command, cancellationToken);
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
    /// Registers our hook when the seller asked for push and everything allows it; otherwise the wallet
    /// is polled and <see cref="Wallet.PushError"/> says why. Only an existing hook is a reason to refuse
    /// the whole request (409): replacing it silently could break whatever else the seller runs.
    /// </summary>
    private async Task ArrangePushAsync(
        Wallet wallet, PaymentMethodId method, WalletCredentials credentials, WalletAccess access, ConnectWalletCommand command,
        CancellationToken cancellationToken)
    {
        var source = rails.Find<IPushNotificationSource>(method);
        if (!command.Push)
        {
            if (wallet.PushSubscriptionId is { } old && source is not null)
                await TryUnsubscribeAsync(source, credentials, old, cancellationToken);
            wallet.DisablePush(null);
            return;
        }

        var callback = push.Value.CallbackFor(method, wallet.Id);
        var refusal = source is null ? "This wallet provider cannot push notifications; the wallet is read by polling."
            : !access.CanManageNotifications ? "The token may not manage notifications. On QIWI that needs the permission to make " +
                                               "payments without SMS, which also allows spending from the wallet; the wallet is read by polling."
            : callback is null ? "This service has no public address configured (Push:PublicBaseUrl); the wallet is read by polling."
            : callback.AbsoluteUri.Length > source.MaxCallbackLength ? "This service's public address is too long for the wallet's notification hook; the wallet is read by polling."
            : null;
        if (refusal is not null)
        {
            wallet.DisablePush(refusal);
            return;
        }

        try
        {
            var subscription = await source!.SubscribeAsync(credentials, callback!, command.ReplaceExistingHook, cancellationToken);
            wallet.EnablePush(subscription.SubscriptionId, protector.Protect(subscription.SigningKey));
        }
        catch (PaymentRailException ex) when (ex.Kind == PaymentRailErrorKind.HookExists)
        {
            throw new ConflictException("wallet.hook_exists",
                "The wallet already sends notifications to another address. Connect with replaceExistingHook: true to replace that hook, " +
                "or without push to keep it.");
        }
        catch (PaymentRailException ex)
        {
            logger.LogWarning("Registering a notification hook for wallet {WalletId} failed ({Kind}); polling instead", wallet.Id, ex.Kind);
            wallet.DisablePush($"The wallet refused the notification hook ({ex.Kind}); the wallet is read by polling.");
        }
    }

    private async Task TryUnsubscribeAsync(IPushNotificationSource source, WalletCredentials credentials, string subscriptionId, CancellationToken cancellationToken)
    {
        try
        {
            await source.UnsubscribeAsync(credentials, subscriptionId, cancellationToken);
        }
        catch (PaymentRailException ex)
        {
            // Our old hook may linger on the wallet; its notifications are refused (no key any more) and change nothing.
            logger.LogWarning("Removing the notification hook of a wallet failed ({Kind})", ex.Kind);
        }
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
