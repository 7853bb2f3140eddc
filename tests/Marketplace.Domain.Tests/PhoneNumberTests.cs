using Marketplace.QiwiEmulator.State;

namespace Marketplace.Domain.Tests;

/// <summary>The emulator's one phone form for mobile detection and top-up (contract §6.2).</summary>
public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("9001234567")]
    [InlineData("79001234567")]
    [InlineData("+79001234567")]
    [InlineData("89001234567")]
    [InlineData("+7 (900) 123-45-67")]
    [InlineData("8 900 123 45 67")]
    [InlineData(" 7-900-123-45-67 ")]
    public void Every_accepted_form_becomes_the_10_digit_national_number(string input)
    {
        Assert.True(PhoneNumber.TryNormalize(input, out var national));
        Assert.Equal("9001234567", national);
        Assert.Equal("79001234567", PhoneNumber.International(national));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("123")]
    [InlineData("900123456")]        // 9 digits
    [InlineData("19001234567")]      // another country code
    [InlineData("+89001234567")]     // + with the domestic 8
    [InlineData("+9001234567")]      // + without a country code
    [InlineData("779001234567")]     // 12 digits
    [InlineData("7900123456a")]
    [InlineData("7900+1234567")]
    [InlineData("7.900.123.45.67")]
    public void Other_numbers_are_refused(string? input)
    {
        Assert.False(PhoneNumber.TryNormalize(input, out var national));
        Assert.Equal("", national);
    }
}
