using Marketplace.Domain.Payments;

namespace Marketplace.Application.Payments.Rails;

/// <summary>Reads one outgoing transfer of a wallet by the rail's transaction id: how a refund the seller reports is verified.</summary>
public interface IOutgoingTransferLookup : IRailCapability
{
    /// <summary>The transfer when it is an outgoing transfer of this wallet; null when the wallet has no such outgoing transfer.</summary>
    Task<OutgoingTransfer?> FindOutgoingAsync(WalletCredentials credentials, string transactionId, CancellationToken cancellationToken);
}
