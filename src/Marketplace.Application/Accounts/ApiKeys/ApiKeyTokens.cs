using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Application.Common.Models;

namespace Marketplace.Application.Accounts.ApiKeys;

/// <summary>
/// The key a client sends: <c>mkp_test_</c> (Sandbox) or <c>mkp_live_</c> (Live), the key's id (32 hex
/// digits), <c>_</c>, then 256 random bits in base64url (43 characters). The prefix makes a leaked key
/// easy to recognise (secret scanners) and keeps play-money keys apart from real ones; the id finds
/// the row with one primary-key lookup, so the secret itself is never searched for.
/// </summary>
public static class ApiKeyTokens
{
    public const string Prefix = "mkp_";
    public const string SandboxPrefix = "mkp_test_";
    public const string LivePrefix = "mkp_live_";
    private const int IdLength = 32;
    private const int SecretLength = 43;
    private const int SecretBytes = 32;

    public static string PrefixFor(OperatingMode mode) => mode.IsSandbox ? SandboxPrefix : LivePrefix;

    /// <summary>A new secret: 256 random bits, base64url.</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static string Format(OperatingMode mode, Guid keyId, string secret) =>
        $"{PrefixFor(mode)}{keyId.ToString("N", CultureInfo.InvariantCulture)}_{secret}";

    /// <summary>What the owner sees in lists: the key without its secret but the last four characters.</summary>
    public static string Hint(OperatingMode mode, Guid keyId, string lastFour) =>
        $"{PrefixFor(mode)}{keyId.ToString("N", CultureInfo.InvariantCulture)}_…{lastFour}";

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>True when the hash of <paramref name="secret"/> is <paramref name="expectedHash"/>, in time independent of where they differ.</summary>
    public static bool Matches(string secret, byte[] expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), expectedHash);

    /// <summary>Does the credential look like one of our API keys (of any mode)? Decides which scheme reads it.</summary>
    public static bool LooksLikeApiKey(string? credential) =>
        credential is not null && credential.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Splits a key of this service's mode into its id and secret; false for anything else.</summary>
    public static bool TryParse(OperatingMode mode, string? key, out Guid keyId, [NotNullWhen(true)] out string? secret)
    {
        keyId = Guid.Empty;
        secret = null;
        var prefix = PrefixFor(mode);
        if (key is null || key.Length != prefix.Length + IdLength + 1 + SecretLength || !key.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        var rest = key.AsSpan(prefix.Length);
        if (rest[IdLength] != '_' || !Guid.TryParseExact(rest[..IdLength], "N", out keyId)) return false;
        var candidate = rest[(IdLength + 1)..];
        foreach (var c in candidate)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        secret = candidate.ToString();
        return true;
    }
}
