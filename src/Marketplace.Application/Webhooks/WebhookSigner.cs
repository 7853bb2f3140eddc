using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Application.Webhooks;

/// <summary>
/// The server's side of the signature scheme: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;</c>,
/// one v1 entry per secret (two while a rotated secret overlaps). Marketplace.Client's
/// WebhookSignature verifies it; a test keeps the two in agreement.
/// </summary>
public static class WebhookSigner
{
    public static string Header(string body, IEnumerable<string> secrets, DateTimeOffset timestamp)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes(t + "." + body);
        var header = new StringBuilder("t=").Append(t);
        foreach (var secret in secrets)
            header.Append(",v1=").Append(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        return header.ToString();
    }
}
