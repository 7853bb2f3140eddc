using Refit;

namespace Marketplace.Infrastructure.Payments.Qiwi;

/// <summary>
/// The QIWI Wallet personal API as a typed client. Every call carries the wallet's own bearer
/// token, passed per call because one client serves all sellers' wallets. Dates go over the
/// wire pre-formatted with an explicit offset (<see cref="QiwiDates"/>): Refit escapes '+' to %2B.
/// </summary>
[Headers("Accept: application/json")]
public interface IQiwiWalletApi
{
    [Get("/person-profile/v1/profile/current")]
    Task<QiwiProfile> GetProfileAsync(
        [Authorize] string token,
        bool authInfoEnabled = true, bool contractInfoEnabled = true, bool userInfoEnabled = true,
        CancellationToken cancellationToken = default);

    [Get("/funding-sources/v2/persons/{personId}/accounts")]
    Task<QiwiAccounts> GetAccountsAsync([Authorize] string token, long personId, CancellationToken cancellationToken = default);

    [Get("/payment-history/v2/persons/{wallet}/payments")]
    Task<QiwiHistoryPage> GetPaymentsAsync(
        [Authorize] string token,
        long wallet,
        int rows,
        string? operation = null,
        string? startDate = null,
        string? endDate = null,
        long? nextTxnId = null,
        string? nextTxnDate = null,
        CancellationToken cancellationToken = default);

    [Get("/payment-history/v2/transactions/{txnId}")]
    Task<QiwiTransaction> GetTransactionAsync(
        [Authorize] string token, long txnId, string? type = null, CancellationToken cancellationToken = default);

    /// <summary>Wallet-to-wallet transfer (provider 99). The request id is the idempotency key: retry only with the same id.</summary>
    [Post("/sinap/api/v2/terms/99/payments")]
    Task<QiwiPaymentInfo> TransferToWalletAsync(
        [Authorize] string token, [Body] QiwiPaymentRequest request, CancellationToken cancellationToken = default);
}
