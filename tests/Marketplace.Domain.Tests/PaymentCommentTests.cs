using Marketplace.Domain.Orders;

namespace Marketplace.Domain.Tests;

public sealed class PaymentCommentTests
{
    private const string Code = "7KQ3MXW9PA";

    [Fact]
    public void New_codes_are_ten_symbols_without_look_alikes()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => PaymentComment.New()).ToList();

        Assert.All(codes, c => Assert.Matches("^[2-9A-HJKMNP-Z]{10}$", c));
        Assert.All(codes, c => Assert.True(PaymentComment.IsCode(c)));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        // 31^10 > 2^49: comfortably above the 40 bits an attacker would have to guess.
        Assert.True(Math.Pow(PaymentComment.Alphabet.Length, PaymentComment.Length) > Math.Pow(2, 49));
    }

    [Theory]
    [InlineData("7KQ3MXW9PA")]
    [InlineData("7kq3mxw9pa")]
    [InlineData("7kQ3mXw9Pa")]
    [InlineData("   7KQ3MXW9PA \t\n")]
    [InlineData("order 7KQ3MXW9PA, thanks")]
    [InlineData("Оплата заказа №7KQ3MXW9PA.")]
    [InlineData("#7KQ3MXW9PA#")]
    [InlineData("7KQ3 MXW9 PA")]
    [InlineData("7KQ3-MXW9-PA")]
    [InlineData("7kq3_mxw9.pa")]
    [InlineData(" 7 K Q 3 M X W 9 P A ")]
    public void The_code_is_found(string comment) => Assert.Equal([Code], PaymentComment.FindCandidates(comment));

    [Theory]
    [InlineData("АВЕКМНРСТХ")] // Cyrillic capitals
    [InlineData("авекмнрстх")] // Cyrillic small letters
    [InlineData("AвEкMнPсTх")] // mixed with Latin
    [InlineData("аbеkмhрcтx")]
    public void Cyrillic_look_alikes_are_read_as_the_latin_letters(string comment) =>
        Assert.Equal(["ABEKMHPCTX"], PaymentComment.FindCandidates(comment));

    [Fact]
    public void Cyrillic_look_alikes_of_digits_and_rarer_letters_are_folded_too() =>
        // З (Ze) reads as 3; У and Ү as Y; Ѕ, Ј, Ԛ, Ԝ as S, J, Q, W.
        Assert.Equal(["3YYSJQW234"], PaymentComment.FindCandidates("ЗУҮЅЈԚԜ234"));

    [Fact]
    public void A_code_typed_with_cyrillic_look_alikes_inside_text_is_found() =>
        Assert.Equal(["7KQ3MXW9PA"], PaymentComment.FindCandidates("за заказ 7кQ3МХW9Ра спасибо"));

    [Fact]
    public void Two_different_codes_give_two_candidates_in_order() =>
        Assert.Equal(["7KQ3MXW9PA", "ABCDEFGHJK"], PaymentComment.FindCandidates("7KQ3MXW9PA and abcdefghjk"));

    [Fact]
    public void The_same_code_twice_is_one_candidate() =>
        Assert.Equal([Code], PaymentComment.FindCandidates("7KQ3MXW9PA 7kq3mxw9pa 7KQ3-MXW9PA"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("thanks for the game!")]
    [InlineData("!!!!!!!!!!")]
    [InlineData("7KQ3MXW9P")] // nine symbols
    [InlineData("7KQ3MXW9PAB")] // eleven symbols
    [InlineData("x7KQ3MXW9PA")] // glued to a letter: a token of eleven
    [InlineData("07KQ3MXW9P")] // 0 is not in the alphabet
    [InlineData("7KQ3MXW9PO")] // nor O
    [InlineData("7KQ3MXW9PI")] // nor I
    [InlineData("7KQ3MXW9PL")] // nor L
    [InlineData("7KQ3MXW9P1")] // nor 1
    [InlineData("7KQ3MXW9PО")] // Cyrillic О folds to O, which is not in the alphabet either
    [InlineData("7KQ3/MXW9/PA")] // split by something other than space, dash, underscore or dot
    [InlineData("pay 7KQ3 MXW9 PA now")] // a split code is only read when it is the whole comment
    public void Nothing_that_is_not_a_code_is_a_candidate(string? comment) => Assert.Empty(PaymentComment.FindCandidates(comment));

    [Fact]
    public void A_comment_longer_than_a_thousand_characters_is_not_read()
    {
        var atLimit = Code + " " + new string('x', 1000 - Code.Length - 1);
        Assert.Equal(1000, atLimit.Length);
        Assert.Equal([Code], PaymentComment.FindCandidates(atLimit));

        Assert.Empty(PaymentComment.FindCandidates(atLimit + "x"));
    }

    [Theory]
    [InlineData("7KQ3MXW9PA", true)]
    [InlineData("7kq3mxw9pa", false)] // IsCode expects the folded, upper-case form
    [InlineData("7KQ3MXW9P", false)]
    [InlineData("7KQ3MXW9PAA", false)]
    [InlineData("7KQ3MXW9P0", false)]
    [InlineData("", false)]
    public void IsCode_checks_length_and_alphabet(string text, bool expected) => Assert.Equal(expected, PaymentComment.IsCode(text));
}
