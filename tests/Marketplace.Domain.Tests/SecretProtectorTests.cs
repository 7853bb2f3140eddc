using System.Security.Cryptography;
using Marketplace.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace Marketplace.Domain.Tests;

public sealed class SecretProtectorTests
{
    private static AesGcmSecretProtector Create(string active, params (string Id, string Key)[] keys) =>
        new(Options.Create(new SecretsOptions { ActiveKeyId = active, Keys = keys.ToDictionary(k => k.Id, k => k.Key) }));

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Round_trips_and_never_repeats_a_ciphertext()
    {
        var protector = Create("a", ("a", NewKey()));
        var first = protector.Protect("KEY-123");
        var second = protector.Protect("KEY-123");

        Assert.NotEqual(first, second);
        Assert.DoesNotContain("KEY-123", first, StringComparison.Ordinal);
        Assert.Equal("KEY-123", protector.Unprotect(first));
    }

    [Fact]
    public void Tampering_is_detected()
    {
        var protector = Create("a", ("a", NewKey()));
        var ciphertext = protector.Protect("secret");
        var bytes = Convert.FromBase64String(ciphertext.Split('.')[2]);
        bytes[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect($"v1.a.{Convert.ToBase64String(bytes)}"));
    }

    [Fact]
    public void Old_values_stay_readable_after_the_active_key_rotates()
    {
        var (a, b) = (NewKey(), NewKey());
        var old = Create("a", ("a", a)).Protect("token");
        var rotated = Create("b", ("a", a), ("b", b));

        Assert.Equal("token", rotated.Unprotect(old));
        Assert.StartsWith("v1.b.", rotated.Protect("token"), StringComparison.Ordinal);
        Assert.Equal(Create("a", ("a", a)).Fingerprint("p", "x"), rotated.Fingerprint("p", "x"));
    }

    [Fact]
    public void Fingerprints_are_stable_keyed_and_separated_by_purpose()
    {
        var protector = Create("a", ("a", NewKey()));

        Assert.Equal(protector.Fingerprint("items", "K"), protector.Fingerprint("items", "K"));
        Assert.NotEqual(protector.Fingerprint("items", "K"), protector.Fingerprint("other", "K"));
        Assert.NotEqual(protector.Fingerprint("items", "K"), Create("a", ("a", NewKey())).Fingerprint("items", "K"));
    }
}
