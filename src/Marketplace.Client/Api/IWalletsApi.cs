using Marketplace.Client.Models;
using Refit;

namespace Marketplace.Client.Api;

/// <summary>A seller's wallets and the reconciliation of every incoming transfer.</summary>
public interface IWalletsApi
{
    [Post("/api/v1/wallets")]
    Task<Wallet> ConnectAsync([Body] ConnectWalletRequest request, CancellationToken cancellationToken = default);

    [Get("/api/v1/wallets")]
    Task<IReadOnlyList<Wallet>> ListAsync(CancellationToken cancellationToken = default);

    [Get("/api/v1/wallets/{id}")]
    Task<Wallet> GetAsync(Guid id, CancellationToken cancellationToken = default);

    [Get("/api/v1/wallets/{id}/transfers")]
    Task<PagedList<WalletTransfer>> ListTransfersAsync(Guid id, bool? inbox = null, string? outcome = null, int page = 1, int pageSize = 20,
        CancellationToken cancellationToken = default);

    [Post("/api/v1/wallets/{id}/transfers/{transferId}/attach")]
    Task<WalletTransfer> AttachTransferAsync(Guid id, Guid transferId, [Body] AttachTransferRequest request, CancellationToken cancellationToken = default);

    [Post("/api/v1/wallets/{id}/transfers/{transferId}/resolve")]
    Task<WalletTransfer> ResolveTransferAsync(Guid id, Guid transferId, [Body] ResolveTransferRequest request, CancellationToken cancellationToken = default);
}
