using Marketplace.Domain.Payments;

namespace Marketplace.Application.Payments.Rails;

/// <summary>Reads one incoming transfer by the rail's transaction id (a buyer's claim, a push notification's confirmation).</summary>
public interface ITransferLookup : IRailCapability
{
    /// <summary>The transfer when it is an incoming transfer of this wallet; null when the wallet has no such incoming transfer.</summary>
    Task<ObservedTransfer?> FindIncomingAsync(WalletCredentials credentials, string transactionId, CancellationToken cancellationToken);
}
