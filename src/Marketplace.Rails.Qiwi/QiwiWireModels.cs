using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Rails.Qiwi;

// Wire types of the QIWI Wallet personal API (docs/qiwi-rail.md, contract §2-§6). Property names
// follow the camelCase of the wire; unknown members are ignored, so newer responses still read.

public sealed record QiwiProfile(QiwiAuthInfo? AuthInfo, QiwiContractInfo? ContractInfo, QiwiUserInfo? UserInfo);

public sealed record QiwiAuthInfo(long PersonId, string? BoundEmail, DateTimeOffset? RegistrationDate, DateTimeOffset? LastLoginDate);

public sealed record QiwiContractInfo(bool Blocked, long ContractId, DateTimeOffset? CreationDate, List<QiwiIdentificationInfo>? IdentificationInfo);

public sealed record QiwiIdentificationInfo(string? BankAlias, string? IdentificationLevel, bool PassportExpired);

public sealed record QiwiUserInfo(int DefaultPayCurrency, long? FirstTxnId, string? Language, string? Operator);

public sealed record QiwiAccounts(List<QiwiAccount> Accounts);

public sealed record QiwiAccount(
    string Alias, string? FsAlias, string? BankAlias, string? Title, QiwiAccountType? Type, bool HasBalance,
    QiwiMoney? Balance, [property: JsonConverter(typeof(QiwiCurrencyConverter))] int Currency, bool? DefaultAccount);

public sealed record QiwiAccountType(string Id, string? Title);

/// <summary>Money on history, balance and webhook endpoints: the currency is numeric (643), or "RUB" in the legacy shape.</summary>
public sealed record QiwiMoney(decimal Amount, [property: JsonConverter(typeof(QiwiCurrencyConverter))] int Currency);

public sealed record QiwiHistoryPage(List<QiwiTransaction> Data, long? NextTxnId, DateTimeOffset? NextTxnDate);

public sealed record QiwiTransaction(
    long TxnId,
    long PersonId,
    DateTimeOffset Date,
    int ErrorCode,
    string? Error,
    string Status,
    string Type,
    string? StatusText,
    string? TrmTxnId,
    string? Account,
    QiwiMoney? Sum,
    QiwiMoney? Commission,
    QiwiMoney? Total,
    QiwiProviderInfo? Provider,
    QiwiProviderInfo? Source,
    string? Comment,
    decimal? CurrencyRate);

public sealed record QiwiProviderInfo(int Id, string? ShortName, string? LongName);

/// <summary>Money on the sinap payment endpoints: the currency is a string ("643").</summary>
public sealed record QiwiSinapMoney(decimal Amount, string Currency);

public sealed record QiwiPaymentMethod(string Type, string AccountId)
{
    public static readonly QiwiPaymentMethod RubAccount = new("Account", "643");
}

public sealed record QiwiPaymentRequest(
    string Id, QiwiSinapMoney Sum, QiwiPaymentMethod PaymentMethod, string? Comment, Dictionary<string, string> Fields);

public sealed record QiwiPaymentInfo(
    string Id, string? Terms, Dictionary<string, string>? Fields, QiwiSinapMoney Sum, QiwiPaymentTransaction Transaction,
    string? Source, string? Comment);

public sealed record QiwiPaymentTransaction(string Id, QiwiPaymentState State);

public sealed record QiwiPaymentState(string Code);

public sealed record QiwiIdentification(
    long Id, string? Type, string? BirthDate, string? FirstName, string? MiddleName, string? LastName,
    string? Passport, string? Inn, string? Snils, string? Oms);

public sealed record QiwiAccountOffer(string Alias, [property: JsonConverter(typeof(QiwiCurrencyConverter))] int Currency);

public sealed record QiwiAccountAlias(string Alias);

public sealed record QiwiDefaultAccount(bool DefaultAccount);

public sealed record QiwiTotals(List<QiwiMoney> IncomingTotal, List<QiwiMoney> OutgoingTotal);

public sealed record QiwiCommissionRequest(string Account, QiwiPaymentMethod PaymentMethod, QiwiPurchaseTotals PurchaseTotals);

public sealed record QiwiPurchaseTotals(QiwiSinapMoney Total);

public sealed record QiwiCommission(
    int ProviderId, QiwiSinapMoney WithdrawSum, QiwiSinapMoney EnrollmentSum, QiwiSinapMoney QwCommission,
    QiwiSinapMoney? FundingSourceCommission, decimal WithdrawToEnrollmentRate);

public sealed record QiwiProviderForm(QiwiProviderFormContent Content);

public sealed record QiwiProviderFormContent(QiwiProviderTerms Terms);

public sealed record QiwiProviderTerms(QiwiTariff Commission);

public sealed record QiwiTariff(List<QiwiTariffRange> Ranges, List<QiwiTariffLimit>? Limits);

public sealed record QiwiTariffRange(decimal Bound, decimal? Fixed, decimal? Rate, decimal? Min, decimal? Max);

public sealed record QiwiTariffLimit(string Currency, decimal Min, decimal Max);

public sealed record QiwiMobileProviders(List<QiwiMobileProvider> MobileOperatorProviderList);

public sealed record QiwiMobileProvider(int Id, string? ShortName, string? LogoUrl);

/// <summary>The detect.action envelope: code.value "0" means found, and then message is the provider id.</summary>
public sealed record QiwiDetection(QiwiDetectionCode Code, string? Message)
{
    public int? ProviderId => Code.Value == "0" && int.TryParse(Message, out var id) ? id : null;
}

public sealed record QiwiDetectionCode(string Value, [property: JsonPropertyName("_name")] string? Name);

public sealed record QiwiHook(string HookId, QiwiHookParameters HookParameters, string HookType, string TxnType);

public sealed record QiwiHookParameters(string Url);

public sealed record QiwiHookKey(string Key);

public sealed record QiwiResponseMessage(string Response);

/// <summary>Edge services' error body ("long shape", contract §9.2).</summary>
public sealed record QiwiEdgeError(string? ServiceName, string? ErrorCode, string? UserMessage, string? Description, string? TraceId);

/// <summary>Sinap payments' error body ("short shape", contract §9.2), e.g. QWPRC-220.</summary>
public sealed record QiwiSinapError(string? Code, string? Message);

public sealed record QiwiRestriction(string RestrictionCode, string? RestrictionDescription);

/// <summary>Operation limits by country key ("RU", "KZ"), contract §9.4.</summary>
public sealed record QiwiLimits(Dictionary<string, List<QiwiLimit>> Limits);

/// <summary>One limit. The currency is alphabetic here ("RUB"), unlike elsewhere.</summary>
public sealed record QiwiLimit(string Type, string? Currency, decimal Rest, decimal Max, decimal Spent, QiwiLimitInterval? Interval);

/// <summary>The limit's period; kept as text, because QIWI's own example ("2019-11-01T:00:00") is no valid date.</summary>
public sealed record QiwiLimitInterval(string? DateFrom, string? DateTill);

public sealed record QiwiNickname(string? Nickname, bool CanChange, bool CanUse, string? Description);

public sealed record QiwiCrossRates(List<QiwiCrossRate> Result);

/// <summary>A cross rate; the currencies come as strings ("398") or numbers, both read.</summary>
public sealed record QiwiCrossRate(
    string? Set,
    [property: JsonConverter(typeof(QiwiCurrencyConverter))] int From,
    [property: JsonConverter(typeof(QiwiCurrencyConverter))] int To,
    decimal Rate);

/// <summary>A provider-catalogue entry (contract §6.5, shape from node-qiwi-sdk's ProviderInfo).</summary>
public sealed record QiwiProviderDetails(
    string? Type, int Id, string? ShortName, string? LongName, string? LogoUrl, string? Keys, bool HasPaymentForm,
    string? SiteUrl, bool SearchAvailable, string? Description, JsonElement? Extras);

public sealed record QiwiChequeEmail(string Email);

public sealed record QiwiCard(QiwiCardQvx Qvx, QiwiMoney? Balance, QiwiCardInfo? Info);

public sealed record QiwiCardQvx(
    long Id, string? MaskedPan, string? Status, DateTimeOffset? CardExpire, string? CardType, string? CardAlias,
    DateTimeOffset? Activated, DateTimeOffset? BlockedDate, bool? UnblockAvailable, string? TxnId, string? CardExpireMonth, string? CardExpireYear);

public sealed record QiwiCardInfo(string? Alias, string? Name, QiwiMoney? Price, string? Period);

public sealed record QiwiBills(List<QiwiBill> Bills);

/// <summary>An invoice issued to the wallet (contract §6.7). Snake case on the wire; times are Unix milliseconds.</summary>
public sealed record QiwiBill(
    long Id,
    [property: JsonPropertyName("external_id")] string? ExternalId,
    [property: JsonPropertyName("creation_datetime")] long CreationDatetime,
    [property: JsonPropertyName("expiration_datetime")] long ExpirationDatetime,
    QiwiMoney Sum,
    string Status,
    string? Type,
    bool Repetitive,
    QiwiBillProvider? Provider,
    string? Comment,
    [property: JsonPropertyName("pay_url")] string? PayUrl);

public sealed record QiwiBillProvider(
    long Id,
    [property: JsonPropertyName("short_name")] string? ShortName,
    [property: JsonPropertyName("long_name")] string? LongName,
    [property: JsonPropertyName("logo_url")] string? LogoUrl);

/// <summary>Pays a bill: its id and currency, both as strings, as QIWI's example sends them.</summary>
public sealed record QiwiBillPayRequest(
    [property: JsonPropertyName("invoice_uid")] string InvoiceUid,
    [property: JsonPropertyName("currency")] string Currency);

/// <summary>"PAID_STATUS" means paid; QIWI said any other status is a failure.</summary>
public sealed record QiwiBillPayment(
    [property: JsonPropertyName("invoice_status")] string InvoiceStatus,
    [property: JsonPropertyName("is_sms_confirm")] bool IsSmsConfirm)
{
    public bool Paid => InvoiceStatus == "PAID_STATUS";
}

public sealed record QiwiBillRejectRequest(long Id);

/// <summary>Reads a currency given as a number (643), a numeric string ("643") or an ISO alphabetic code ("RUB").</summary>
public sealed class QiwiCurrencyConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return reader.GetInt32();
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("Currency must be a number or a string.");
        var text = reader.GetString()!;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
            return numeric;
        return QiwiCurrencies.TryToNumeric(text, out var code)
            ? code
            : throw new JsonException($"Unknown currency '{text}'.");
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QiwiProfile))]
[JsonSerializable(typeof(QiwiAccounts))]
[JsonSerializable(typeof(QiwiHistoryPage))]
[JsonSerializable(typeof(QiwiTransaction))]
[JsonSerializable(typeof(QiwiPaymentRequest))]
[JsonSerializable(typeof(QiwiPaymentInfo))]
[JsonSerializable(typeof(QiwiEdgeError))]
[JsonSerializable(typeof(QiwiIdentification))]
[JsonSerializable(typeof(List<QiwiAccountOffer>))]
[JsonSerializable(typeof(QiwiAccountAlias))]
[JsonSerializable(typeof(QiwiDefaultAccount))]
[JsonSerializable(typeof(QiwiTotals))]
[JsonSerializable(typeof(QiwiCommissionRequest))]
[JsonSerializable(typeof(QiwiCommission))]
[JsonSerializable(typeof(QiwiProviderForm))]
[JsonSerializable(typeof(QiwiMobileProviders))]
[JsonSerializable(typeof(QiwiDetection))]
[JsonSerializable(typeof(QiwiHook))]
[JsonSerializable(typeof(QiwiHookKey))]
[JsonSerializable(typeof(QiwiResponseMessage))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(QiwiSinapError))]
[JsonSerializable(typeof(List<QiwiRestriction>))]
[JsonSerializable(typeof(QiwiLimits))]
[JsonSerializable(typeof(QiwiNickname))]
[JsonSerializable(typeof(QiwiCrossRates))]
[JsonSerializable(typeof(QiwiProviderDetails))]
[JsonSerializable(typeof(QiwiChequeEmail))]
[JsonSerializable(typeof(List<QiwiCard>))]
[JsonSerializable(typeof(QiwiBills))]
[JsonSerializable(typeof(QiwiBillPayRequest))]
[JsonSerializable(typeof(QiwiBillPayment))]
[JsonSerializable(typeof(QiwiBillRejectRequest))]
public sealed partial class QiwiJsonContext : JsonSerializerContext;
