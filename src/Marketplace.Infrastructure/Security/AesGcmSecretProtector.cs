using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.Application.Common.Interfaces;
using Microsoft.Extensions.Options;

namespace Marketplace.Infrastructure.Security;

/// <summary>
/// AES-256-GCM with a random 96-bit nonce per value. Ciphertext format:
/// <c>v1.{keyId}.{base64(nonce ‖ tag ‖ ciphertext)}</c>, so keys can rotate while old values
/// stay readable. Fingerprints are HMAC-SHA256 under a key derived (HKDF) per purpose.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;
    private readonly byte[] _activeAssociatedData;
    private readonly string _ciphertextPrefix;
    private string _fingerprintKeyId;

    /// <summary>HKDF output per (key id, purpose): the derivation is deterministic, so it is done once, not per value.</summary>
    private readonly ConcurrentDictionary<(string KeyId, string Purpose), byte[]> _fingerprintKeys = new();

    public AesGcmSecretProtector(IOptions<SecretsOptions> options)
    {
        var value = options.Value;
        var keys = value.Keys;
        var activeKeyId = value.ActiveKeyId;
        if (keys.Count == 0)
        {
            (keys, activeKeyId, var created) = LoadOrCreateKeyFile(value.KeyFile);
            KeyFileCreated = created ? Path.GetFullPath(value.KeyFile) : null;
        }

        _keys = keys.ToDictionary(k => k.Key, k => DecodeKey(k.Key, k.Value), StringComparer.Ordinal);
        _activeKeyId = activeKeyId ?? _keys.Keys.Single();
        if (!_keys.ContainsKey(_activeKeyId))
            throw new InvalidOperationException($"Secrets:ActiveKeyId '{_activeKeyId}' is not among Secrets:Keys.");
        if (_keys.Keys.Any(id => id.Length is 0 or > 64 || id.Contains('.', StringComparison.Ordinal)))
            throw new InvalidOperationException("Secret key ids must be 1-64 characters without '.'.");
        // Before the database names the fingerprint key (SecretKeyGuard), the first in sorted order, as releases before it did.
        _fingerprintKeyId = _keys.Keys.Order(StringComparer.Ordinal).First();
        _activeAssociatedData = AssociatedData(_activeKeyId);
        _ciphertextPrefix = $"{Version}.{_activeKeyId}.";
    }

    /// <summary>The key file this instance created at start-up because none existed (null when keys came from configuration or an existing file).</summary>
    public string? KeyFileCreated { get; }

    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    public string ActiveKeyId => _activeKeyId;

    /// <summary>The key fingerprints are computed under; the same on every instance, whatever else rotates.</summary>
    public string FingerprintKeyId => _fingerprintKeyId;

    /// <summary>Makes <paramref name="keyId"/> the fingerprint key: the one the database's fingerprints were computed under.</summary>
    public void UseFingerprintKey(string keyId) =>
        _fingerprintKeyId = _keys.ContainsKey(keyId) ? keyId : throw new InvalidOperationException($"Secret key '{keyId}' is not configured.");

    /// <summary>
    /// A value that identifies a key's bytes without revealing them (HMAC under a key derived for this
    /// purpose only): two instances holding a key under the same id compare these to prove it is the same key.
    /// </summary>
    public string KeyCheck(string keyId)
    {
        var derived = HKDF.DeriveKey(HashAlgorithmName.SHA256, _keys[keyId], 32, info: Encoding.UTF8.GetBytes("key-check"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(derived, Encoding.UTF8.GetBytes("marketplace secret key " + keyId)));
    }

    public string Protect(string plaintext)
    {
        using var aes = new AesGcm(_keys[_activeKeyId], TagSize);
        return Protect(aes, Encoding.UTF8.GetBytes(plaintext), null);
    }

    /// <summary>Encrypts under the active key with a fresh random nonce: <c>v1.{keyId}.{base64(nonce ‖ tag ‖ ciphertext)}</c>.</summary>
    /// <param name="scratch">A buffer to reuse for the blob when large enough (one thread's), else one is allocated.</param>
    private string Protect(AesGcm aes, ReadOnlySpan<byte> plain, byte[]? scratch)
    {
        var length = NonceSize + TagSize + plain.Length;
        var buffer = scratch is not null && scratch.Length >= length ? scratch : new byte[length];
        var blob = buffer.AsSpan(0, length);
        var nonce = blob[..NonceSize];
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plain, blob[(NonceSize + TagSize)..], blob.Slice(NonceSize, TagSize), _activeAssociatedData);
        return string.Create(_ciphertextPrefix.Length + ((length + 2) / 3 * 4), (Prefix: _ciphertextPrefix, Buffer: buffer, Length: length),
            static (chars, state) =>
            {
                state.Prefix.CopyTo(chars);
                Convert.TryToBase64Chars(state.Buffer.AsSpan(0, state.Length), chars[state.Prefix.Length..], out _);
            });
    }

    public string Unprotect(string ciphertext)
    {
        var parts = ciphertext.Split('.', 3);
        if (parts.Length != 3 || parts[0] != Version)
            throw new CryptographicException("Unrecognised ciphertext format.");
        if (!_keys.TryGetValue(parts[1], out var key))
            throw new CryptographicException($"Key '{parts[1]}' needed to decrypt this value is not configured.");
        var blob = Convert.FromBase64String(parts[2]);
        if (blob.Length < NonceSize + TagSize) throw new CryptographicException("Ciphertext is truncated.");
        var plain = new byte[blob.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plain, AssociatedData(parts[1]));
        return Encoding.UTF8.GetString(plain);
    }

    public string Fingerprint(string purpose, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(FingerprintKey(purpose), Encoding.UTF8.GetBytes(value)));

    public ISecretWorker CreateWorker() => new Worker(this);

    /// <summary>
    /// The HMAC key for a purpose: HKDF-SHA256 of the fingerprint key with info <c>fingerprint:{purpose}</c>. Never the
    /// active key: fingerprints must stay stable across rotations (the database stores them for uniqueness).
    /// </summary>
    private byte[] FingerprintKey(string purpose) =>
        _fingerprintKeys.GetOrAdd((_fingerprintKeyId, purpose), static (id, keys) =>
            HKDF.DeriveKey(HashAlgorithmName.SHA256, keys[id.KeyId], 32, info: Encoding.UTF8.GetBytes("fingerprint:" + id.Purpose)), _keys);

    /// <summary>One thread's AES-GCM instance, HMAC instances (one per purpose) and blob buffer, reused for every value.</summary>
    private sealed class Worker(AesGcmSecretProtector owner) : ISecretWorker
    {
        private readonly AesGcm _aes = new(owner._keys[owner._activeKeyId], TagSize);
        private readonly Dictionary<(string KeyId, string Purpose), IncrementalHash> _hmacs = new();
        private byte[] _blob = new byte[512];

        public string Protect(ReadOnlySpan<byte> utf8Plaintext)
        {
            if (_blob.Length < NonceSize + TagSize + utf8Plaintext.Length) _blob = new byte[NonceSize + TagSize + utf8Plaintext.Length];
            return owner.Protect(_aes, utf8Plaintext, _blob);
        }

        public string Fingerprint(string purpose, ReadOnlySpan<byte> utf8Value)
        {
            // Keyed by the fingerprint key id too: SecretKeyGuard may name it after the worker was created.
            var id = (owner._fingerprintKeyId, purpose);
            if (!_hmacs.TryGetValue(id, out var hmac))
                _hmacs[id] = hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, owner.FingerprintKey(purpose));
            Span<byte> hash = stackalloc byte[32];
            hmac.AppendData(utf8Value);
            hmac.GetHashAndReset(hash);
            return Convert.ToHexStringLower(hash);
        }

        public void Dispose()
        {
            _aes.Dispose();
            foreach (var hmac in _hmacs.Values) hmac.Dispose();
        }
    }

    private static byte[] AssociatedData(string keyId) => Encoding.UTF8.GetBytes(Version + "." + keyId);

    private static byte[] DecodeKey(string id, string base64)
    {
        var key = Convert.FromBase64String(base64);
        return key.Length == 32 ? key : throw new InvalidOperationException($"Secret key '{id}' must be 32 bytes (base64).");
    }

    private static (Dictionary<string, string> Keys, string ActiveKeyId, bool Created) LoadOrCreateKeyFile(string path)
    {
        var full = Path.GetFullPath(path);
        var created = false;
        if (!File.Exists(full))
        {
            Persistence.RuntimeFiles.EnsureFolder(Path.GetDirectoryName(full)!);
            var newFile = new KeyFile("k1", new() { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using var stream = new FileStream(full, options);
                JsonSerializer.Serialize(stream, newFile);
                created = true;
            }
            catch (IOException) when (File.Exists(full))
            {
                // Another process created it first; use theirs.
            }
        }

        var file = JsonSerializer.Deserialize<KeyFile>(File.ReadAllText(full))
                   ?? throw new InvalidOperationException($"Key file {full} is empty.");
        return (file.Keys, file.ActiveKeyId, created);
    }

    private sealed record KeyFile(string ActiveKeyId, Dictionary<string, string> Keys);
}
