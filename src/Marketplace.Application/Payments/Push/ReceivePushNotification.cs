using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Payments.Matching;
using Marketplace.Application.Payments.Rails;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Payments.Push;

/// <summary>
/// A rail calls us: "money arrived on this wallet". The body is checked against the hook's signing
/// key; a genuine notification only asks the matcher to read the wallet now (and to confirm the
/// announced transfer by id). Nothing in it is trusted: goods are released only from the wallet's
/// own history. Forged or tampered notifications are refused; replays are dropped.
/// </summary>
public sealed record ReceivePushNotificationCommand(string Method, Guid WalletId, byte[] Body) : ICommand<PushReceipt>;

public enum PushReceipt
{
    /// <summary>Genuine: a read of the wallet was requested.</summary>
    Accepted,
    /// <summary>Genuine, but a test or a replay: nothing to do.</summary>
    Ignored,
    /// <summary>Unknown wallet, no hook, or the signature does not verify.</summary>
    Refused,
}

public sealed class ReceivePushNotificationHandler(
    IApplicationDbContext db, IRailRegistry rails, ISecretProtector protector, WalletReadRequests requests, PushReplayGuard replays,
    ILogger<ReceivePushNotificationHandler> logger)
    : ICommandHandler<ReceivePushNotificationCommand, PushReceipt>
{
    public async ValueTask<PushReceipt> Handle(ReceivePushNotificationCommand command, CancellationToken cancellationToken)
    {
        if (PaymentMethodId.TryParse(command.Method) is not { } method || rails.Find<IPushNotificationSource>(method) is not { } source)
            return PushReceipt.Refused;
        var wallet = await db.Wallets.AsNoTracking()
            .Where(w => w.Id == command.WalletId && w.Provider == method.Value && w.EncryptedPushKey != null)
            .Select(w => new { w.Id, w.EncryptedPushKey })
            .FirstOrDefaultAsync(cancellationToken);
        if (wallet is null) return PushReceipt.Refused;

        PushNotification? notification;
        try
        {
            notification = source.Verify(command.Body, protector.Unprotect(wallet.EncryptedPushKey!));
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            // Numbers or fields no genuine notification carries: as good as a bad signature.
            notification = null;
        }

        if (notification is null)
        {
            logger.LogWarning("Refused a push notification for wallet {WalletId}: the signature does not verify", wallet.Id);
            return PushReceipt.Refused;
        }

        if (notification.IsTest) return PushReceipt.Ignored;
        // The transaction id is signed, the message id is not: a replay with a fresh message id is still a replay.
        var id = notification.TransactionId ?? notification.MessageId;
        if (id is not null && replays.SeenBefore(wallet.Id, id)) return PushReceipt.Ignored;
        requests.Request(new WalletReadRequest(wallet.Id, notification.TransactionId));
        return PushReceipt.Accepted;
    }
}
