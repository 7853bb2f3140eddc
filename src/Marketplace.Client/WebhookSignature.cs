using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Client;

/// <summary>
/// The marketplace's webhook signature: the header <c>Marketplace-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=&lt;hex&gt;]</c>,
/// where each v1 is the lower-case hex HMAC-SHA256, keyed with an endpoint secret (<c>whsec_...</c>, as text), of
/// <c>"&lt;t&gt;.&lt;raw request body&gt;"</c>. Two v1 entries are sent for 24 hours after a secret rotation.
/// Verify the raw body exactly as received, before parsing it.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Marketplace-Signature";
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// True when the header carries a v1 signature of <paramref name="payload"/> by any of <paramref name="secrets"/>
    /// (yours, and the previous one while you roll a rotation out) and its timestamp is within
    /// <paramref name="tolerance"/> of <paramref name="now"/>, either way (a replayed old request fails).
    /// Comparisons take constant time.
    /// </summary>
    public static bool Verify(string payload, string? signatureHeader, IEnumerable<string> secrets, TimeSpan tolerance, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrEmpty(signatureHeader) || !TryParse(signatureHeader, out var timestamp, out var signatures)) return false;
        if (signatures.Count == 0) return false;
        var age = now - DateTimeOffset.FromUnixTimeSeconds(timestamp);
        if (age > tolerance || age < -tolerance) return false;

        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + payload);
        var match = false;
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret)) continue;
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
            // Every entry is compared (no early exit), each in constant time.
            foreach (var candidate in signatures) match |= CryptographicOperations.FixedTimeEquals(expected, candidate);
        }

        return match;
    }

    /// <inheritdoc cref="Verify(string, string?, IEnumerable{string}, TimeSpan, DateTimeOffset)"/>
    public static bool Verify(string payload, string? signatureHeader, IEnumerable<string> secrets, DateTimeOffset now) =>
        Verify(payload, signatureHeader, secrets, DefaultTolerance, now);

    /// <summary>The header value for <paramref name="payload"/> signed at <paramref name="timestamp"/> with each secret (one v1 entry each).</summary>
    public static string Sign(string payload, IEnumerable<string> secrets, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes(t + "." + payload);
        var header = new StringBuilder("t=").Append(t);
        foreach (var secret in secrets)
            header.Append(",v1=").Append(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        return header.ToString();
    }

    /// <inheritdoc cref="Sign(string, IEnumerable{string}, DateTimeOffset)"/>
    public static string Sign(string payload, string secret, DateTimeOffset timestamp) => Sign(payload, [secret], timestamp);

    /// <summary>t (exactly one) and the v1 entries; unknown schemes are ignored, so a later v2 does not break old receivers.</summary>
    private static bool TryParse(string header, out long timestamp, out List<byte[]> signatures)
    {
        timestamp = 0;
        signatures = [];
        var seenTimestamp = false;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return false;
            var key = part[..eq];
            var value = part[(eq + 1)..];
            if (key == "t")
            {
                if (seenTimestamp || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp)) return false;
                seenTimestamp = true;
            }
            else if (key == "v1" && value.Length == 64)
            {
                try
                {
                    signatures.Add(Convert.FromHexString(value));
                }
                catch (FormatException)
                {
                    // Not hex: cannot match; other entries still may.
                }
            }
        }

        return seenTimestamp && timestamp is >= 0 and < 253402300800; // before year 10000
    }
}
