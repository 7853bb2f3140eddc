using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Infrastructure.Payments.Qiwi;

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

/// <summary>Edge services' error body ("long shape", contract §9.2).</summary>
public sealed record QiwiEdgeError(string? ServiceName, string? ErrorCode, string? UserMessage, string? Description, string? TraceId);

/// <summary>Sinap payments' error body ("short shape", contract §9.2), e.g. QWPRC-220.</summary>
public sealed record QiwiSinapError(string? Code, string? Message);

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
        return Domain.Common.Currencies.IsSupported(text)
            ? Domain.Common.Currencies.ToNumeric(text)
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
[JsonSerializable(typeof(QiwiSinapError))]
public sealed partial class QiwiJsonContext : JsonSerializerContext;
