using System.Text.Json;
using Marketplace.Rails.Qiwi;

namespace Marketplace.Domain.Tests;

/// <summary>Payloads from the QIWI contract (docs/qiwi-rail.md) read into the expected values.</summary>
public sealed class QiwiWireTests
{
    [Fact]
    public void Currencies_map_to_iso_numeric_codes()
    {
        Assert.Equal(643, QiwiCurrencies.ToNumeric("RUB"));
        Assert.Equal("USD", QiwiCurrencies.FromNumeric(840));
        Assert.Null(QiwiCurrencies.FromNumeric(1));
    }

    [Fact]
    public void The_live_2022_history_capture_reads()
    {
        const string json = """
            {"data":[{"txnId":25056891439,"personId":79276005996,"date":"2022-05-06T09:12:13+03:00",
              "errorCode":0,"error":null,"status":"SUCCESS","type":"IN","statusText":"Success",
              "trmTxnId":"923369792652","account":"+79323225106",
              "sum":{"amount":4.98,"currency":643},"commission":{"amount":0.00,"currency":643},
              "total":{"amount":4.98,"currency":643},
              "provider":{"id":7,"shortName":"QIWI Wallet","longName":"QIWI Wallet","logoUrl":null,"description":null,"keys":"...","siteUrl":null,"extras":[]},
              "source":{"id":99,"shortName":"Transfer to QIWI Wallet","longName":null,"logoUrl":null,"description":null,"keys":"...","siteUrl":"https://www.qiwi.com","extras":[{"key":"seo_title","value":"..."}]},
              "comment":"55667510","currencyRate":1,"paymentExtras":[],
              "features":{"chequeReady":false,"bankDocumentReady":false},"serviceExtras":{},"view":{"title":"QIWI Wallet","account":"+79323225106"}}],
             "nextTxnId":null,"nextTxnDate":null}
            """;

        var page = JsonSerializer.Deserialize(json, QiwiJsonContext.Default.QiwiHistoryPage)!;

        var item = Assert.Single(page.Data);
        Assert.Equal(25056891439L, item.TxnId);
        Assert.Equal(new DateTimeOffset(2022, 5, 6, 9, 12, 13, TimeSpan.FromHours(3)), item.Date);
        Assert.Equal(4.98m, item.Sum!.Amount);
        Assert.Equal(643, item.Sum.Currency);
        Assert.Equal(("SUCCESS", "IN", "55667510"), (item.Status, item.Type, item.Comment));
        Assert.Equal((7, 99), (item.Provider!.Id, item.Source!.Id));
        Assert.Null(page.NextTxnId);
    }

    [Fact]
    public void The_legacy_flat_shape_with_string_currency_and_a_null_comment_reads()
    {
        const string json = """
            {"data":[{"txnId":9309,"personId":79112223344,"date":"2017-01-21T11:41:07+03:00","errorCode":0,"error":null,
              "status":"SUCCESS","type":"IN","statusText":"Успешно","trmTxnId":"1489826461807","account":"0003***",
              "sum":{"amount":70,"currency":"RUB"},"commission":{"amount":0,"currency":"RUB"},"total":{"amount":70,"currency":"RUB"},
              "provider":{"id":26476,"shortName":"Yandex.Money","longName":"ООО НКО \"Яндекс.Деньги\"","logoUrl":null,"description":null,"keys":"","siteUrl":null},
              "comment":null,"currencyRate":1,"extras":{},"chequeReady":true,"bankDocumentAvailable":false}],
             "nextTxnId":9001,"nextTxnDate":"2017-01-31T15:24:10+03:00"}
            """;

        var page = JsonSerializer.Deserialize(json, QiwiJsonContext.Default.QiwiHistoryPage)!;

        Assert.Equal(643, page.Data[0].Sum!.Currency);
        Assert.Null(page.Data[0].Comment);
        Assert.Equal(9001L, page.NextTxnId);
    }

    [Fact]
    public void The_sinap_payment_response_reads_with_string_ids_and_currency()
    {
        const string json = """
            {"id":"150217833198900","terms":"99","fields":{"account":"79121238345"},"sum":{"amount":100,"currency":"643"},
             "transaction":{"id":"11155897070","state":{"code":"Accepted"}},"source":"account_643","comment":"Комментарий"}
            """;

        var info = JsonSerializer.Deserialize(json, QiwiJsonContext.Default.QiwiPaymentInfo)!;

        Assert.Equal("11155897070", info.Transaction.Id);
        Assert.Equal("Accepted", info.Transaction.State.Code);
        Assert.Equal("643", info.Sum.Currency);
    }

    [Fact]
    public void Dates_are_sent_in_moscow_time_without_fraction() =>
        Assert.Equal("2017-05-10T03:00:00+03:00", QiwiDates.Format(new DateTimeOffset(2017, 5, 10, 0, 0, 0, 123, TimeSpan.Zero)));

    [Theory]
    [InlineData("+79001234567", "+79001234567")]
    [InlineData("79001234567", "+79001234567")]
    [InlineData("+7 (900) 123-45-67", "+79001234567")]
    [InlineData("9001234567", null)]
    [InlineData("+7900abc4567", null)]
    [InlineData("7+9001234567", null)]
    public void Wallet_numbers_are_normalised(string input, string? expected) =>
        Assert.Equal(expected, QiwiAccountNumber.Normalize(input));
}

/// <summary>More golden payloads from the contract: profile (§2), balances (§4), hook (§7), errors (§9.2).</summary>
public sealed class QiwiGoldenPayloadTests
{
    [Fact]
    public void The_documented_profile_reads_with_utc_millisecond_dates()
    {
        const string json = """
            {"authInfo":{"boundEmail":"m@ya.ru","ip":"81.210.201.22","lastLoginDate":"2017-07-27T06:51:06.099Z",
              "mobilePinInfo":{"lastMobilePinChange":"2017-07-13T11:22:06.099Z","mobilePinUsed":true,"nextMobilePinChange":"2017-11-27T06:51:06.099Z"},
              "passInfo":{"lastPassChange":"2017-07-21T09:25:06.099Z","nextPassChange":"2017-08-21T09:25:06.099Z","passwordUsed":true},
              "personId":79683851815,"pinInfo":{"pinUsed":true},"registrationDate":"2017-01-07T16:51:06.100Z","emailSettings":{}},
             "contractInfo":{"blocked":false,"contractId":79683851815,"creationDate":"2017-01-07T16:51:06.100Z","features":[],
              "identificationInfo":[{"bankAlias":"QIWI","identificationLevel":"SIMPLE","passportExpired":false}],
              "nickname":{"nickname":"X","canChange":true,"canUse":true,"description":""}},
             "userInfo":{"defaultPayCurrency":643,"defaultPaySource":7,"email":null,"firstTxnId":10807097143,"language":"string",
              "operator":"Beeline","phoneHash":"lgsco87234f0287","promoEnabled":null,"defaultPayAccountAlias":"qw_wallet_rub"}}
            """;

        var profile = JsonSerializer.Deserialize(json, QiwiJsonContext.Default.QiwiProfile)!;

        Assert.Equal(79683851815L, profile.AuthInfo!.PersonId);
        Assert.Equal(new DateTimeOffset(2017, 7, 27, 6, 51, 6, 99, TimeSpan.Zero), profile.AuthInfo.LastLoginDate);
        Assert.Equal("SIMPLE", profile.ContractInfo!.IdentificationInfo![0].IdentificationLevel);
        Assert.Equal(10807097143L, profile.UserInfo!.FirstTxnId);
    }

    [Fact]
    public void The_documented_balances_read_including_a_null_balance()
    {
        const string json = """
            {"accounts":[
              {"alias":"mc_beeline_rub","fsAlias":"qb_mc_beeline","bankAlias":"QIWI","title":"MC","type":{"id":"MC","title":"Счет мобильного кошелька"},"hasBalance":false,"balance":null,"currency":643},
              {"alias":"qw_wallet_rub","fsAlias":"qb_wallet","bankAlias":"QIWI","title":"WALLET","type":{"id":"WALLET","title":"QIWI Wallet"},"hasBalance":true,"balance":{"amount":8.74,"currency":643},"currency":643}]}
            """;

        var accounts = JsonSerializer.Deserialize(json, QiwiJsonContext.Default.QiwiAccounts)!.Accounts;

        Assert.Null(accounts[0].Balance);
        Assert.Equal(8.74m, accounts.Single(a => a.Alias == "qw_wallet_rub").Balance!.Amount);
    }

    [Fact]
    public void The_documented_hook_and_commission_read()
    {
        var hook = JsonSerializer.Deserialize("""{"hookId":"d63a8729-f5c8-486f-907d-9fb8758afcfc","hookParameters":{"url":"http://example.com/callbacks/"},"hookType":"WEB","txnType":"BOTH"}""",
            QiwiJsonContext.Default.QiwiHook)!;
        var commission = JsonSerializer.Deserialize("""{"providerId":99,"withdrawSum":{"amount":1011.01,"currency":"643"},"enrollmentSum":{"amount":1001,"currency":"643"},"qwCommission":{"amount":10.01,"currency":"643"},"fundingSourceCommission":{"amount":0,"currency":"643"},"withdrawToEnrollmentRate":1}""",
            QiwiJsonContext.Default.QiwiCommission)!;

        Assert.Equal(("BOTH", "http://example.com/callbacks/"), (hook.TxnType, hook.HookParameters.Url));
        Assert.Equal(10.01m, commission.QwCommission.Amount);
    }

    [Theory]
    [InlineData("""{"serviceName":"payment-history","errorCode":"request.blocked","userMessage":"request blocked, try again later","dateTime":"2018-06-30T16:19:07.459+03:00","traceId":"c0a512542e702a68"}""", "request.blocked", "request blocked, try again later")]
    [InlineData("""{"code":"QWPRC-220","message":"Недостаточно средств"}""", "QWPRC-220", "Недостаточно средств")]
    [InlineData("", null, null)]
    public void Both_error_shapes_and_an_empty_401_read(string body, string? code, string? message) =>
        Assert.Equal((code, message), QiwiErrors.ReadError(body));
}
