using Marketplace.Domain.Common;
using Marketplace.Domain.Orders;

namespace Marketplace.Domain.Tests;

public sealed class MoneyAndCommentTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.001")]
    [InlineData("1000000.01")]
    public void Invalid_amounts_are_refused(string amount) =>
        Assert.Throws<DomainException>(() => new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "RUB"));

    [Fact]
    public void Unknown_currencies_are_refused() => Assert.Throws<DomainException>(() => new Money(1m, "XXX"));

    [Fact]
    public void Comments_are_ten_symbols_without_look_alikes()
    {
        var comments = Enumerable.Range(0, 2000).Select(_ => PaymentComment.New()).ToList();

        Assert.All(comments, c => Assert.Matches("^[2-9A-HJKMNP-Z]{10}$", c));
        Assert.DoesNotContain(comments, c => c.IndexOfAny(['0', 'O', '1', 'I', 'L']) >= 0);
        Assert.Equal(comments.Count, comments.Distinct().Count());
        // 31^10 > 2^49: comfortably above the 40 bits an attacker would have to guess.
        Assert.True(Math.Pow(PaymentComment.Alphabet.Length, PaymentComment.Length) > Math.Pow(2, 40));
    }

    [Theory]
    [InlineData("  abcdefghjk ", "ABCDEFGHJK")]
    [InlineData("ABCDE FGHJK", "ABCDEFGHJK")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Comments_are_normalised_for_matching(string? raw, string? expected) =>
        Assert.Equal(expected, PaymentComment.Normalize(raw));
}
