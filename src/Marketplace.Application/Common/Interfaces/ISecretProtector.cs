namespace Marketplace.Application.Common.Interfaces;

/// <summary>
/// Encrypts secrets at rest (wallet tokens, goods payloads). Ciphertext is versioned so keys can
/// rotate. <see cref="Fingerprint"/> is a keyed hash: equal inputs give equal fingerprints, which
/// lets the database enforce uniqueness without storing the plaintext.
/// </summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    string Unprotect(string ciphertext);

    string Fingerprint(string purpose, string value);

    /// <summary>
    /// A worker for many values on one thread (bulk imports): it keeps its HMAC and AES-GCM state between calls
    /// instead of setting them up per value. Not thread-safe: one per thread, disposed after use.
    /// </summary>
    ISecretWorker CreateWorker();
}

/// <summary>
/// <see cref="ISecretProtector"/>'s encryption and keyed hash over UTF-8 bytes, for one thread at a time. The results
/// are those of the protector for the same text: the same ciphertext format, the same fingerprints.
/// </summary>
public interface ISecretWorker : IDisposable
{
    /// <summary>As <see cref="ISecretProtector.Protect"/> of the text these bytes encode.</summary>
    string Protect(ReadOnlySpan<byte> utf8Plaintext);

    /// <summary>As <see cref="ISecretProtector.Fingerprint"/> of the text these bytes encode.</summary>
    string Fingerprint(string purpose, ReadOnlySpan<byte> utf8Value);
}
