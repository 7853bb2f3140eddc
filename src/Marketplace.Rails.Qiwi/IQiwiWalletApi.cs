using Refit;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// The QIWI Wallet personal API (edge.qiwi.com) as a typed client: contract sections 1-7. Every call
/// carries the wallet's own bearer token per call, because one client serves all sellers' wallets.
/// Dates are passed pre-formatted with an explicit offset (<see cref="QiwiDates"/>): Refit escapes
/// '+' to %2B and ':' to %3A as QIWI requires. Array filters go through <see cref="QiwiQuery.Sources"/>.
/// </summary>
[Headers("Accept: application/json")]
public interface IQiwiWalletApi
{
    // §2 Profile
    [Get("/person-profile/v1/profile/current")]
    Task<QiwiProfile> GetProfileAsync(
        [Authorize] string token,
        bool authInfoEnabled = true, bool contractInfoEnabled = true, bool userInfoEnabled = true,
        CancellationToken cancellationToken = default);

    [Get("/identification/v1/persons/{wallet}/identification")]
    Task<QiwiIdentification> GetIdentificationAsync([Authorize] string token, long wallet, CancellationToken cancellationToken = default);

    // §4 Balances
    [Get("/funding-sources/v2/persons/{personId}/accounts")]
    Task<QiwiAccounts> GetAccountsAsync([Authorize] string token, long personId, CancellationToken cancellationToken = default);

    [Get("/funding-sources/v2/persons/{personId}/accounts/offer")]
    Task<List<QiwiAccountOffer>> GetAccountOffersAsync([Authorize] string token, long personId, CancellationToken cancellationToken = default);

    [Post("/funding-sources/v2/persons/{personId}/accounts")]
    Task CreateAccountAsync([Authorize] string token, long personId, [Body] QiwiAccountAlias body, CancellationToken cancellationToken = default);

    [Patch("/funding-sources/v2/persons/{personId}/accounts/{alias}")]
    Task SetDefaultAccountAsync([Authorize] string token, long personId, string alias, [Body] QiwiDefaultAccount body, CancellationToken cancellationToken = default);

    // §3 Payment history
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
        [Query] IDictionary<string, string>? sources = null,
        CancellationToken cancellationToken = default);

    [Get("/payment-history/v2/persons/{wallet}/payments/total")]
    Task<QiwiTotals> GetTotalsAsync(
        [Authorize] string token, long wallet, string startDate, string endDate, string? operation = null,
        [Query] IDictionary<string, string>? sources = null, CancellationToken cancellationToken = default);

    [Get("/payment-history/v2/transactions/{txnId}")]
    Task<QiwiTransaction> GetTransactionAsync([Authorize] string token, long txnId, string? type = null, CancellationToken cancellationToken = default);

    [Get("/payment-history/v1/transactions/{txnId}")]
    Task<QiwiTransaction> GetTransactionV1Async([Authorize] string token, long txnId, string type, CancellationToken cancellationToken = default);

    // §5 Commission
    [Post("/sinap/providers/{providerId}/onlineCommission")]
    Task<QiwiCommission> GetOnlineCommissionAsync([Authorize] string token, int providerId, [Body] QiwiCommissionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Standard tariff of a provider; needs no token.</summary>
    [Get("/sinap/providers/{providerId}/form")]
    Task<QiwiProviderForm> GetProviderFormAsync(int providerId, CancellationToken cancellationToken = default);

    // §6 Payments. The request id is the idempotency key: retry only with the same id (QiwiWalletClient does).
    [Post("/sinap/api/v2/terms/{providerId}/payments")]
    Task<QiwiPaymentInfo> PayAsync([Authorize] string token, int providerId, [Body] QiwiPaymentRequest request, CancellationToken cancellationToken = default);

    [Get("/qw-mobile-providers-resolver/v1/providers")]
    Task<QiwiMobileProviders> ResolveMobileProviderAsync([Authorize] string token, string phoneNumber, CancellationToken cancellationToken = default);

    // §7 Webhooks (payment-notifier)
    [Put("/payment-notifier/v1/hooks")]
    Task<QiwiHook> RegisterWebhookAsync([Authorize] string token, int hookType, string param, int txnType, CancellationToken cancellationToken = default);

    [Get("/payment-notifier/v1/hooks/active")]
    Task<QiwiHook> GetActiveWebhookAsync([Authorize] string token, CancellationToken cancellationToken = default);

    [Delete("/payment-notifier/v1/hooks/{hookId}")]
    Task<QiwiResponseMessage> DeleteWebhookAsync([Authorize] string token, string hookId, CancellationToken cancellationToken = default);

    [Get("/payment-notifier/v1/hooks/{hookId}/key")]
    Task<QiwiHookKey> GetWebhookKeyAsync([Authorize] string token, string hookId, CancellationToken cancellationToken = default);

    [Post("/payment-notifier/v1/hooks/{hookId}/newkey")]
    Task<QiwiHookKey> RotateWebhookKeyAsync([Authorize] string token, string hookId, CancellationToken cancellationToken = default);

    [Get("/payment-notifier/v1/hooks/test")]
    Task<QiwiResponseMessage> SendTestWebhookAsync([Authorize] string token, CancellationToken cancellationToken = default);
}

/// <summary>The helpers QIWI served on qiwi.com rather than edge.qiwi.com (contract §6.2, §6.3): no token, form bodies.</summary>
[Headers("Accept: application/json")]
public interface IQiwiSiteApi
{
    [Post("/mobile/detect.action")]
    Task<QiwiDetection> DetectMobileAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken = default);

    [Post("/card/detect.action")]
    Task<QiwiDetection> DetectCardAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken = default);
}

public static class QiwiQuery
{
    /// <summary>QIWI's indexed array form: sources[0]=QW_RUB&amp;sources[1]=CARD.</summary>
    public static IDictionary<string, string>? Sources(IReadOnlyList<string>? sources) =>
        sources is null || sources.Count == 0
            ? null
            : sources.Select((s, i) => (Key: $"sources[{i}]", Value: s)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
