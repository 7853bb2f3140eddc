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

    /// <summary>Restrictions of the wallet (§2.2): empty, or OUTGOING_PAYMENTS. Group 1.</summary>
    [Get("/person-profile/v1/persons/{wallet}/status/restrictions")]
    Task<List<QiwiRestriction>> GetRestrictionsAsync([Authorize] string token, long wallet, CancellationToken cancellationToken = default);

    /// <summary>Operation limits (§9.4) of the types named with <see cref="QiwiQuery.LimitTypes"/>. Group 1.</summary>
    [Get("/qw-limits/v1/persons/{wallet}/actual-limits")]
    Task<QiwiLimits> GetLimitsAsync([Authorize] string token, long wallet, [Query] IDictionary<string, string> types, CancellationToken cancellationToken = default);

    /// <summary>The wallet's nickname (§6.4), for transfers by nickname (provider 99999). Group 1 in the emulator.</summary>
    [Get("/qw-nicknames/v1/persons/{wallet}/nickname")]
    Task<QiwiNickname> GetNicknameAsync([Authorize] string token, long wallet, CancellationToken cancellationToken = default);

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

    /// <summary>A receipt file (§3.5): <paramref name="format"/> PDF or JPEG. The caller disposes the content. Group 3.</summary>
    [Get("/payment-history/v1/transactions/{txnId}/cheque/file")]
    Task<HttpContent> GetChequeFileAsync([Authorize] string token, long txnId, string type, string format, CancellationToken cancellationToken = default);

    /// <summary>Sends a receipt by e-mail (§3.5); QIWI answers 201. Group 3.</summary>
    [Post("/payment-history/v1/transactions/{txnId}/cheque/send")]
    Task SendChequeAsync([Authorize] string token, long txnId, string type, [Body] QiwiChequeEmail body, CancellationToken cancellationToken = default);

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

    /// <summary>Currency cross rates (§6.4): how many units of <c>from</c> one unit of <c>to</c> costs.</summary>
    [Get("/sinap/crossRates")]
    Task<QiwiCrossRates> GetCrossRatesAsync([Authorize] string token, CancellationToken cancellationToken = default);

    /// <summary>A provider's catalogue entry (§6.5).</summary>
    [Get("/providers-catalog/v2/providers/{providerId}")]
    Task<QiwiProviderDetails> GetProviderAsync([Authorize] string token, int providerId, CancellationToken cancellationToken = default);

    /// <summary>The wallet's QIWI virtual cards (§6.6); <paramref name="vasAlias"/> "qvc-master" for the QIWI Master package only. Groups 1, 3, 4 and 5.</summary>
    [Get("/cards/v1/cards")]
    Task<List<QiwiCard>> GetCardsAsync([Authorize] string token, [AliasAs("vas-alias")] string? vasAlias = null, CancellationToken cancellationToken = default);

    // §6.7 Invoices (bills) issued to the wallet. Group 4.
    [Get("/checkout-api/api/bill/search")]
    Task<QiwiBills> GetBillsAsync(
        [Authorize] string token,
        string statuses = "READY_FOR_PAY",
        int? rows = null,
        [AliasAs("min_creation_datetime")] long? minCreationDatetime = null,
        [AliasAs("max_creation_datetime")] long? maxCreationDatetime = null,
        [AliasAs("next_id")] long? nextId = null,
        [AliasAs("next_creation_datetime")] long? nextCreationDatetime = null,
        CancellationToken cancellationToken = default);

    [Post("/checkout-api/invoice/pay/wallet")]
    Task<QiwiBillPayment> PayBillAsync([Authorize] string token, [Body] QiwiBillPayRequest request, CancellationToken cancellationToken = default);

    [Post("/checkout-api/api/bill/reject")]
    Task RejectBillAsync([Authorize] string token, [Body] QiwiBillRejectRequest request, CancellationToken cancellationToken = default);

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
    /// <summary>QIWI's indexed array form for operation limits: types[0]=TURNOVER&amp;types[1]=REFILL (§9.4).</summary>
    public static IDictionary<string, string> LimitTypes(params IReadOnlyList<string> types) =>
        types.Select((t, i) => (Key: $"types[{i}]", Value: t)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>QIWI's indexed array form: sources[0]=QW_RUB&amp;sources[1]=CARD.</summary>
    public static IDictionary<string, string>? Sources(IReadOnlyList<string>? sources) =>
        sources is null || sources.Count == 0
            ? null
            : sources.Select((s, i) => (Key: $"sources[{i}]", Value: s)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
