using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Payments;
using Marketplace.Domain.Wallets;
using Mediator;
using Microsoft.EntityFrameworkCore;
using WalletCredentials = Marketplace.Application.Payments.Rails.WalletCredentials;

namespace Marketplace.Application.Payments.Matching;

/// <summary>
/// Confirms one transfer through the rail's own transaction API and records it: what a push
/// notification announced (unsigned fields are never trusted) or what a buyer claims. Returns the
/// transfer as the wallet reports it, or null when the wallet has no such incoming transfer.
/// </summary>
public sealed record ConfirmTransferCommand(Guid WalletId, string TransactionId) : ICommand<ObservedTransfer?>;

public sealed class ConfirmTransferHandler(
    IApplicationDbContext db, IRailRegistry rails, ISecretProtector protector, TransferRecorder recorder, OperatingMode mode)
    : ICommandHandler<ConfirmTransferCommand, ObservedTransfer?>
{
    public async ValueTask<ObservedTransfer?> Handle(ConfirmTransferCommand command, CancellationToken cancellationToken)
    {
        var wallet = await db.Wallets.FirstOrDefaultAsync(w => w.Id == command.WalletId, cancellationToken);
        if (wallet is null || wallet.Status != WalletStatus.Active || wallet.Sandbox != mode.IsSandbox) return null;
        if (PaymentMethodId.TryParse(wallet.Provider) is not { } method || rails.Find<ITransferLookup>(method) is not { } lookup) return null;

        var credentials = new WalletCredentials(wallet.Account, protector.Unprotect(wallet.EncryptedToken));
        var transfer = await lookup.FindIncomingAsync(credentials, command.TransactionId, cancellationToken);
        if (transfer is not null) await recorder.RecordPageAsync(wallet, [transfer], cancellationToken);
        return transfer;
    }
}
