namespace Marketplace.Infrastructure.Security;

/// <summary>
/// Keys for encryption at rest. Production sets <see cref="Keys"/> (id -> base64 of 32 bytes)
/// and <see cref="ActiveKeyId"/> from a secret store; old keys stay listed to decrypt old data.
/// Without keys, a key file is created under the data folder (the embedded default).
/// </summary>
public sealed class SecretsOptions
{
    public const string Section = "Secrets";

    public Dictionary<string, string> Keys { get; set; } = [];
    public string? ActiveKeyId { get; set; }
    public string KeyFile { get; set; } = "data/secret-keys.json";
}
