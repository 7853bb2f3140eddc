using System.Security.Cryptography;

namespace Marketplace.Application.Webhooks;

/// <summary>Signing secrets: "whsec_" and 32 random bytes (base64url), shown to the owner once.</summary>
public static class WebhookSecrets
{
    public const string Prefix = "whsec_";

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
