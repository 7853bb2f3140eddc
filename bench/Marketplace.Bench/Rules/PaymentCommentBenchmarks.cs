using BenchmarkDotNet.Attributes;
using Marketplace.Domain.Orders;

namespace Marketplace.Bench.Rules;

/// <summary>
/// <see cref="PaymentComment.FindCandidates"/> on the comments buyers actually type: the matcher runs it
/// on every transfer of every page it reads, matched or not.
/// </summary>
[MemoryDiagnoser]
public class PaymentCommentBenchmarks
{
    private const string Code = "7KQ3MXW9PA";

    // Cyrillic К, М, Х, Р, А in place of the Latin letters (a Russian keyboard layout).
    private const string CyrillicCode = "7\u041AQ3\u041C\u0425W9\u0420\u0410";

    private string _longGarbage = "";
    private string _overLimit = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        const string words = "abcdefghijklmnopqrstuvwxyz0123456789 ,.!-";
        // Just under the 1000-character cap past which a comment is ignored without being scanned.
        _longGarbage = new string(Enumerable.Range(0, 990).Select(_ => words[random.Next(words.Length)]).ToArray());
        _overLimit = _longGarbage + _longGarbage;
    }

    [Benchmark(Baseline = true, Description = "exact code")]
    public IReadOnlyList<string> ExactCode() => PaymentComment.FindCandidates(Code);

    [Benchmark(Description = "code in text")]
    public IReadOnlyList<string> CodeInText() => PaymentComment.FindCandidates("Order " + "7kq3mxw9pa" + ", thanks!");

    [Benchmark(Description = "code typed in groups")]
    public IReadOnlyList<string> Grouped() => PaymentComment.FindCandidates("7KQ3 MXW9-PA");

    [Benchmark(Description = "Cyrillic look-alikes")]
    public IReadOnlyList<string> Cyrillic() => PaymentComment.FindCandidates("\u0437\u0430\u043A\u0430\u0437 " + CyrillicCode);

    [Benchmark(Description = "empty comment")]
    public IReadOnlyList<string> Empty() => PaymentComment.FindCandidates(null);

    [Benchmark(Description = "long garbage (990 chars)")]
    public IReadOnlyList<string> LongGarbage() => PaymentComment.FindCandidates(_longGarbage);

    [Benchmark(Description = "over the 1000-char cap")]
    public IReadOnlyList<string> OverLimit() => PaymentComment.FindCandidates(_overLimit);
}
