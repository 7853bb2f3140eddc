using System.Globalization;
using Marketplace.Domain.Common;

namespace Marketplace.Domain.Tests;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.001")]
    [InlineData("1000000.01")]
    public void Invalid_amounts_are_refused(string amount) =>
        Assert.Throws<DomainException>(() => new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), "RUB"));

    [Fact]
    public void Unknown_currencies_are_refused() => Assert.Equal("money.currency", Assert.Throws<DomainException>(() => new Money(1m, "XXX")).Code);

    [Fact]
    public void Multiplying_keeps_the_amount_exact() => Assert.Equal(new Money(99.99m, "RUB"), new Money(33.33m, "RUB").Times(3));
}
