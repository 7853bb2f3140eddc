using System.Text.Json;
using Marketplace.Infrastructure.Payments.Qiwi;

namespace Marketplace.Domain.Tests;

/// <summary>Payloads from the QIWI contract (docs/qiwi-rail.md) read into the expected values.</summary>
public sealed class QiwiWireTests
{
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
