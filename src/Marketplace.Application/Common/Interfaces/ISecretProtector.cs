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
}
