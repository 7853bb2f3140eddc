namespace Marketplace.Infrastructure.Security;

/// <summary>
/// A key that data in this database is (or may be) encrypted under: its id and a check value of its
/// bytes, never the key. Every instance compares its keys with these rows at start-up, so an instance
/// with another key under the same id, or without a key the data needs, refuses to start instead of
/// writing values no other instance can read.
/// </summary>
public sealed class SecretKeyRecord
{
    private SecretKeyRecord() { }

    public SecretKeyRecord(string keyId, string check, bool fingerprints, DateTimeOffset registeredAt, string registeredBy)
    {
        KeyId = keyId;
        Check = check;
        Fingerprints = fingerprints;
        RegisteredAt = registeredAt;
        RegisteredBy = registeredBy;
    }

    public string KeyId { get; private set; } = "";

    /// <summary><see cref="AesGcmSecretProtector.KeyCheck"/> of the key.</summary>
    public string Check { get; private set; } = "";

    /// <summary>The key fingerprints (uniqueness of goods) are computed under; exactly one row has it.</summary>
    public bool Fingerprints { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>The machine and process that registered it, to help an operator find the key's source.</summary>
    public string RegisteredBy { get; private set; } = "";
}
