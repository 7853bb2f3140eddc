using System.Text.Json;
using Marketplace.Rails.Qiwi;

namespace Marketplace.Domain.Tests;

/// <summary>The documented test vectors of QIWI's webhook signature (contract §7.2).</summary>
public sealed class QiwiWebhookSignatureTests
{
    private const string Key = "JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=";

    [Theory]
    [InlineData("643|1|IN|+79161112233|13353941550", "f05c4e7bdf00620205d47696d77f924bfd3ba4d02b0398ac8a626e737dc27243")]
    [InlineData("643|1|IN|+79165238345|13353941550", "76687ffe5c516c793faa46fafba0994e7ca7a6d735966e0e0c0b65eaa43bdca0")]
    public void The_documented_vectors_hold(string joined, string expected) =>
        Assert.Equal(expected, QiwiWebhookSignature.Compute(joined, Key));

    [Fact]
    public void The_documented_notification_verifies_and_a_tampered_one_does_not()
    {
        const string notification = """
            {"messageId":"7814c49d-2d29-4b14-b2dc-36b377c76156","hookId":"5e2027d1-f5f3-4ad1-b409-058b8b8a8c22",
             "payment":{"txnId":"13353941550","date":"2018-06-27T13:39:00+03:00","type":"IN","status":"SUCCESS","errorCode":"0",
                        "personId":78000008000,"account":"+79165238345","comment":"","provider":7,
                        "sum":{"amount":1,"currency":643},"commission":{"amount":0,"currency":643},"total":{"amount":1,"currency":643},
                        "signFields":"sum.currency,sum.amount,type,account,txnId"},
             "hash":"76687ffe5c516c793faa46fafba0994e7ca7a6d735966e0e0c0b65eaa43bdca0","version":"1.0.0","test":false}
            """;

        Assert.True(QiwiWebhookSignature.Verify(notification, Key));
        Assert.False(QiwiWebhookSignature.Verify(notification.Replace("\"amount\":1,", "\"amount\":100,", StringComparison.Ordinal), Key));
        Assert.False(QiwiWebhookSignature.Verify(notification.Replace("\"test\":false", "\"test\":true", StringComparison.Ordinal), Key));
    }

    [Fact]
    public void A_signed_test_notification_has_an_authentic_hash_but_never_verifies_as_a_payment()
    {
        var body = Signed("""{"sum":{"amount":1,"currency":643},"type":"IN","account":"+79001234567","txnId":"13353941550","signFields":"sum.currency,sum.amount,type,account,txnId"}""", test: true);
        using var document = JsonDocument.Parse(body);

        Assert.True(QiwiWebhookSignature.HasAuthenticHash(document.RootElement, Key));
        Assert.False(QiwiWebhookSignature.Verify(body, Key));
        Assert.False(QiwiWebhookSignature.HasAuthenticHash(document.RootElement, "not base64"));
    }

    [Theory]
    [InlineData("sum.currency,sum.amount,type,account")]
    [InlineData("txnId")]
    [InlineData("")]
    public void A_hash_over_fewer_fields_than_qiwi_always_signs_is_not_trusted(string signFields)
    {
        var body = Signed($$"""{"sum":{"amount":1,"currency":643},"type":"IN","account":"+79001234567","txnId":"13353941550","signFields":"{{signFields}}"}""", test: false);
        using var document = JsonDocument.Parse(body);

        Assert.False(QiwiWebhookSignature.HasAuthenticHash(document.RootElement, Key));
        Assert.False(QiwiWebhookSignature.Verify(body, Key));
    }

    /// <summary>A notification around <paramref name="payment"/> whose hash is genuine for the fields it lists.</summary>
    private static string Signed(string payment, bool test)
    {
        using var parsed = JsonDocument.Parse(payment);
        var hash = QiwiWebhookSignature.Compute(QiwiWebhookSignature.JoinSignFields(parsed.RootElement), Key);
        return $$"""{"messageId":"m","payment":{{payment}},"hash":"{{hash}}","test":{{(test ? "true" : "false")}}}""";
    }

    [Fact]
    public void Amounts_are_joined_in_shortest_form()
    {
        using var payment = JsonDocument.Parse("""{"sum":{"amount":10.50,"currency":643},"type":"IN","account":"+7900","txnId":"5","signFields":"sum.currency,sum.amount,type,account,txnId"}""");

        Assert.Equal("643|10.5|IN|+7900|5", QiwiWebhookSignature.JoinSignFields(payment.RootElement));
    }
}
