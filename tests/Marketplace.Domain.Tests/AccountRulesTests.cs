using Marketplace.Application.Accounts.Security;

namespace Marketplace.Domain.Tests;

public sealed class AccountRulesTests
{
    [Theory]
    [InlineData("ten-chars!", true)]
    [InlineData("nine-char", false)]
    [InlineData("🔑🔑🔑🔑🔑", false)]            // 10 UTF-16 units, 5 code points
    [InlineData("🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", true)]
    [InlineData("spaces are fine here", true)]
    [InlineData("new\nline-inside", false)]
    [InlineData("Qwertyuiop", false)]
    public void Password_policy(string password, bool accepted) =>
        Assert.Equal(accepted, PasswordPolicy.Check(password) is null);

    [Fact]
    public void A_lone_surrogate_is_refused()
    {
        // Built at run time: attribute arguments are stored as UTF-8, which cannot hold a lone surrogate.
        var password = new string('\ud800', 1) + "-lone-surrogate";
        Assert.NotNull(PasswordPolicy.Check(password));
    }

    [Fact]
    public void The_common_password_list_is_shipped_and_read()
    {
        Assert.True(CommonPasswords.Count > 10_000);
        Assert.True(CommonPasswords.Contains("PASSWORD123"));
        Assert.False(CommonPasswords.Contains("a-very-personal-phrase-42"));
    }

    [Theory]
    [InlineData("a@example.com", true)]
    [InlineData(" A.B+c@sub.example.org ", true)]
    [InlineData("a@localhost", false)]
    [InlineData("a@b@example.com", false)]
    [InlineData("a b@example.com", false)]
    [InlineData("@example.com", false)]
    [InlineData("a@example..com", false)]
    [InlineData("a@example.com.", false)]
    [InlineData("a\u007f@example.com", false)]
    public void Email_rules(string email, bool accepted) =>
        Assert.Equal(accepted, EmailRules.Check(email) is null);
}
