using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Marketplace.Application.Accounts.Security;

/// <summary>
/// Refresh tokens are 256 random bits (base64url); the database keeps only their SHA-256, so a
/// leaked table cannot be replayed. A fast hash is enough: the input cannot be guessed.
/// </summary>
public static class RefreshTokens
{
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
