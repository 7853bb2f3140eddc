using System.Security.Cryptography;
using System.Text;
using Marketplace.Application.Listings.Items;
using Marketplace.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace Marketplace.Domain.Tests;

/// <summary>
/// The bulk path (one worker per thread, UTF-8 bytes in) must give what the protector gives for the same text: the database
/// holds fingerprints and key hashes computed the single-value way, and they must still match.
/// </summary>
public sealed class SecretWorkerTests
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static AesGcmSecretProtector Create() =>
        new(Options.Create(new SecretsOptions { ActiveKeyId = "a", Keys = new() { ["a"] = Key } }));

    /// <summary>The fingerprint as releases before the worker computed it: HKDF per call, HMAC of the UTF-8 text.</summary>
    private static string ReferenceFingerprint(string purpose, string value)
    {
        var derived = HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(Key), 32, info: Encoding.UTF8.GetBytes("fingerprint:" + purpose));
        return Convert.ToHexStringLower(HMACSHA256.HashData(derived, Encoding.UTF8.GetBytes(value)));
    }

    [Theory]
    [InlineData("KEY-123")]
    [InlineData("ключ-ÄÖÜ-🔑")]
    [InlineData("")]
    public void Worker_fingerprints_equal_the_protectors_and_the_earlier_computation(string value)
    {
        var protector = Create();
        using var worker = protector.CreateWorker();

        var fromWorker = worker.Fingerprint("listing-item-key", Encoding.UTF8.GetBytes(value));
        Assert.Equal(protector.Fingerprint("listing-item-key", value), fromWorker);
        Assert.Equal(ReferenceFingerprint("listing-item-key", value), fromWorker);
        // Reused: the second value's hash is not mixed with the first's.
        Assert.Equal(ReferenceFingerprint("listing-item", "x" + value), worker.Fingerprint("listing-item", Encoding.UTF8.GetBytes("x" + value)));
        Assert.Equal(fromWorker, worker.Fingerprint("listing-item-key", Encoding.UTF8.GetBytes(value)));
    }

    [Fact]
    public void Worker_ciphertexts_have_the_protectors_format_and_decrypt()
    {
        var protector = Create();
        using var worker = protector.CreateWorker();
        var long_ = new string('k', 3000);

        var first = worker.Protect(Encoding.UTF8.GetBytes("KEY-1"));
        var second = worker.Protect(Encoding.UTF8.GetBytes(long_));
        var third = worker.Protect(Encoding.UTF8.GetBytes("KEY-1"));

        Assert.StartsWith("v1.a.", first, StringComparison.Ordinal);
        Assert.Equal("KEY-1", protector.Unprotect(first));
        Assert.Equal(long_, protector.Unprotect(second));
        Assert.Equal("KEY-1", protector.Unprotect(third));
        Assert.NotEqual(first, third); // a fresh nonce each time
        Assert.Equal(protector.Protect("KEY-1").Length, first.Length);
    }

    [Fact]
    public void Prepared_keys_carry_the_same_hashes_as_before_and_repeats_are_refused_across_chunks()
    {
        var protector = Create();
        var listingId = Guid.NewGuid();
        var upload = new ItemPreparer(protector).Start(listingId);

        var first = upload.Prepare([new RawKey(1, " KEY-A "), new RawKey(2, "KEY-B"), new RawKey(3, "KEY-A"), new RawKey(4, "   ")]);
        var second = upload.Prepare([new RawKey(5, "KEY-B"), new RawKey(6, "KEY-C"), new RawKey(7, new string('x', 5000)), new RawKey(8, "a\u0001b")]);

        Assert.Equal([1, 2], first.Select(i => i.Line));
        Assert.Equal([6], second.Select(i => i.Line));
        Assert.Equal(7, upload.Received);
        Assert.Equal(
            [(3, "duplicate_in_upload"), (5, "duplicate_in_upload"), (7, "too_long"), (8, "invalid_characters")],
            upload.Rejected.Select(r => (r.Line, r.Reason)).OrderBy(r => r.Line));
        var a = first[0];
        Assert.Equal(ReferenceFingerprint("listing-item-key", "KEY-A"), a.KeyHash);
        Assert.Equal(ReferenceFingerprint("listing-item", $"{listingId:N}:KEY-A"), a.Fingerprint);
        Assert.Equal("KEY-A", protector.Unprotect(a.EncryptedPayload));
        Assert.Equal(3, new[] { first[0].Id, first[1].Id, second[0].Id }.Distinct().Count());
    }

    [Fact]
    public void Many_keys_prepared_in_parallel_each_get_their_own_hash()
    {
        var protector = Create();
        var keys = Enumerable.Range(1, 5000).Select(i => new RawKey(i, $"KEY-{i}-é")).ToList();

        var items = new ItemPreparer(protector).Prepare(Guid.NewGuid(), keys).Items;

        Assert.Equal(5000, items.Count);
        Assert.All(items, item => Assert.Equal(ReferenceFingerprint("listing-item-key", $"KEY-{item.Line}-é"), item.KeyHash));
        Assert.All(items.Take(50), item => Assert.Equal($"KEY-{item.Line}-é", protector.Unprotect(item.EncryptedPayload)));
    }
}
