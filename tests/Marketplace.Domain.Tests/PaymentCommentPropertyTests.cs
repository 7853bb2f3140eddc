using FsCheck;
using FsCheck.Fluent;
using Marketplace.Domain.Orders;

namespace Marketplace.Domain.Tests;

public sealed class PaymentCommentPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2000);

    /// <summary>What a buyer's keyboard may produce for each symbol: Cyrillic capitals and small letters that look the same.</summary>
    private static readonly Dictionary<char, string> CyrillicLookAlikes = new()
    {
        ['A'] = "Аа", ['B'] = "Вв", ['C'] = "Сс", ['E'] = "Ее", ['H'] = "Нн", ['K'] = "Кк", ['M'] = "Мм", ['P'] = "Рр",
        ['T'] = "Тт", ['X'] = "Хх", ['Y'] = "УуҮү", ['3'] = "Зз", ['S'] = "Ѕѕ", ['J'] = "Јј", ['Q'] = "Ԛԛ", ['W'] = "Ԝԝ",
    };

    private const string TextSymbols = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.!?-_#№:;()\"'абвгдежзийклмнопрстуфхцчшщъыьэюяЖЩЯ\t";
    private static readonly string[] Separators = [" ", ", ", "\n", " - ", ": ", "#", "(", "№", " — ", "\u00a0", "/", "!"];

    private static Gen<string> Code => Gen.ArrayOf(Gen.Elements(PaymentComment.Alphabet.ToCharArray()), PaymentComment.Length).Select(c => new string(c));

    private static Gen<char> Typed(char symbol)
    {
        var ways = new List<char> { symbol, char.ToLowerInvariant(symbol) };
        if (CyrillicLookAlikes.TryGetValue(symbol, out var lookAlikes)) ways.AddRange(lookAlikes);
        return Gen.Elements(ways.Distinct().ToArray());
    }

    private static Gen<string> Text => Gen.Choose(0, 120).SelectMany(n => Gen.ArrayOf(Gen.Elements(TextSymbols.ToCharArray()), n)).Select(c => new string(c));

    private static Gen<(string Code, string Comment)> Comments =>
        from code in Code
        from typed in Gen.CollectToArray(code, Typed)
        from before in Text
        from open in Gen.Elements(Separators)
        from close in Gen.Elements(Separators)
        from after in Text
        from bare in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
        select (code, bare ? new string(typed) : before + open + new string(typed) + close + after);

    [Fact]
    public void A_code_typed_in_any_case_with_any_look_alikes_is_found_in_any_surrounding_text() =>
        Check.One(Runs, Prop.ForAll(Comments.ToArbitrary(), sample =>
            Assert.Contains(sample.Code, PaymentComment.FindCandidates(sample.Comment))));

    [Fact]
    public void Candidates_are_always_distinct_codes() =>
        Check.One(Runs, Prop.ForAll(Comments.SelectMany(c => Text.Select(t => t + c.Comment + t)).ToArbitrary(), comment =>
        {
            var found = PaymentComment.FindCandidates(comment);
            Assert.All(found, c => Assert.True(PaymentComment.IsCode(c), c));
            Assert.Equal(found.Count, found.Distinct().Count());
        }));

    [Fact]
    public void A_symbol_too_few_or_too_many_is_never_a_candidate() =>
        Check.One(Runs, Prop.ForAll(Code.SelectMany(code => Gen.Elements(PaymentComment.Alphabet.ToCharArray()).Select(extra => (code, extra))).ToArbitrary(), sample =>
        {
            Assert.Empty(PaymentComment.FindCandidates("pay " + sample.code[1..] + " now"));
            Assert.Empty(PaymentComment.FindCandidates("pay " + sample.code + sample.extra + " now"));
            Assert.Empty(PaymentComment.FindCandidates(sample.extra + sample.code));
        }));
}
