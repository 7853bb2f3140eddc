using Marketplace.Domain.Accounts;
using Marketplace.Domain.Common;

namespace Marketplace.Domain.Tests;

/// <summary>Seller display names: what is a valid name, and which names a buyer could not tell apart (one key).</summary>
public sealed class DisplayNameTests
{
    [Theory]
    [InlineData("Key Shop", "key shop")]
    [InlineData("Key Shop", "KEY  SHOP")]
    [InlineData("Key Shop", "Key-Shop")]
    [InlineData("Key Shop", "key_shop.")]
    [InlineData("Key Shop", "Кеу Shор")] // Cyrillic К, е, у, о, р
    [InlineData("Key Shop", "\uFF2B\uFF25\uFF39 \uFF33\uFF28\uFF2F\uFF30")] // full-width letters (NFKC)
    [InlineData("Key Shop", "Key Sh0p")]
    [InlineData("Pixel Keys", "PIXEl KEYS")]
    [InlineData("Pixel Keys", "P1xel Keys")]
    public void Names_a_buyer_cannot_tell_apart_share_a_key(string name, string lookAlike) =>
        Assert.Equal(DisplayName.Key(DisplayName.Normalize(name)), DisplayName.Key(DisplayName.Normalize(lookAlike)));

    [Theory]
    [InlineData("Key Shop", "Key Shops")]
    [InlineData("Key Shop", "Keys Hop2")]
    [InlineData("Игровые ключи", "Игровые ключи 2")]
    public void Different_names_have_different_keys(string name, string other) =>
        Assert.NotEqual(DisplayName.Key(DisplayName.Normalize(name)), DisplayName.Key(DisplayName.Normalize(other)));

    [Theory]
    [InlineData("Key Shop")]
    [InlineData("Игровые ключи")]
    [InlineData("O'Brien & Sons")]
    [InlineData("ab")]
    [InlineData("x-42_y.z")]
    public void Valid_names(string name) => Assert.True(DisplayName.IsValid(DisplayName.Normalize(name)));

    [Theory]
    [InlineData("a")]
    [InlineData("--")]
    [InlineData("<b>shop")]
    [InlineData("shop\u0000x")]
    [InlineData("shop\u200Bx")] // zero-width space: invisible differences are refused, not folded
    [InlineData("shop 😀")]
    [InlineData("https://evil.example")]
    public void Invalid_names(string name) => Assert.False(DisplayName.IsValid(DisplayName.Normalize(name)));

    [Fact]
    public void Forty_characters_at_most_after_normalising()
    {
        Assert.True(DisplayName.IsValid(DisplayName.Normalize(new string('k', DisplayName.MaxLength))));
        Assert.False(DisplayName.IsValid(DisplayName.Normalize(new string('k', DisplayName.MaxLength + 1))));
        Assert.Equal("Key Shop", DisplayName.Normalize("  Key \t  Shop "));
    }

    [Fact]
    public void An_account_stores_the_normalised_name_and_its_key_and_can_drop_them()
    {
        var account = new Account(Guid.NewGuid(), "s@example.com", "hash", DateTimeOffset.UnixEpoch);
        account.ChangeDisplayName("  Key   Shop ");
        Assert.Equal("Key Shop", account.DisplayName);
        Assert.Equal("KEYSHOP", account.DisplayNameKey);
        Assert.Throws<DomainException>(() => account.ChangeDisplayName("<script>"));
        Assert.Equal("Key Shop", account.DisplayName);
        account.ChangeDisplayName(null);
        Assert.Null(account.DisplayName);
        Assert.Null(account.DisplayNameKey);
    }

    [Fact]
    public void Look_alike_folding_is_shared_with_payment_comments() =>
        Assert.Equal("KEY", LookAlikes.FoldToLatinUpper("кеу"));
}
