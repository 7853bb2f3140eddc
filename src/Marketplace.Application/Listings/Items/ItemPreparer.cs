using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Listings.Items;

/// <summary>
/// Turns raw keys into rows ready to store: trimmed, checked (length, control characters), deduplicated
/// within the upload by their key hash, then encrypted. Hashing and AES-GCM run in parallel across cores;
/// everything else is in upload order, so the first occurrence of a repeated key is the one kept.
/// </summary>
public sealed class ItemPreparer(ISecretProtector protector)
{
    /// <summary>Listing-scoped fingerprint (unique per listing, as before key hashes existed).</summary>
    internal const string FingerprintPurpose = "listing-item";

    /// <summary>The marketplace-wide keyed hash of a payload: one key, one hash, whichever listing or seller.</summary>
    internal const string KeyHashPurpose = "listing-item-key";

    public const int MaxItemLength = 4096;

    /// <summary>The UTF-8 bytes the listing's fingerprint puts before the key: <c>{listingId:N}:</c> (ASCII).</summary>
    internal static byte[] FingerprintPrefix(Guid listingId) => System.Text.Encoding.ASCII.GetBytes($"{listingId:N}:");

    public PreparedBatch Prepare(Guid listingId, IReadOnlyList<RawKey> keys)
    {
        var rejected = new List<ItemRejection>();
        var valid = new List<(int Line, string Payload)>(keys.Count);
        var received = 0;
        foreach (var key in keys)
        {
            var payload = key.Value.Trim();
            if (payload.Length == 0) continue;
            received++;
            if (payload.Length > MaxItemLength) rejected.Add(new ItemRejection(key.Line, ItemRejectionReasons.TooLong));
            else if (CommonRules.ContainsControlCharacter(payload, allowLineBreaks: true))
                rejected.Add(new ItemRejection(key.Line, ItemRejectionReasons.InvalidCharacters));
            else valid.Add((key.Line, payload));
        }

        // Hashing and encryption in parallel, each worker with its own HMAC/AES-GCM state and UTF-8 buffer. Every valid key is
        // encrypted, repeats too: they are rare, and one pass is cheaper than a second over the keys kept.
        var sealedKeys = new PreparedItem[valid.Count];
        var prefix = FingerprintPrefix(listingId);
        Parallel.For(0, valid.Count, () => new KeySealer(protector, prefix), (i, _, sealer) =>
        {
            var (line, payload) = valid[i];
            sealedKeys[i] = sealer.Seal(line, payload);
            return sealer;
        }, sealer => sealer.Dispose());

        // In upload order, so the first occurrence of a repeated key is the one kept.
        var seen = new HashSet<string>(valid.Count, StringComparer.Ordinal);
        var prepared = new List<PreparedItem>(valid.Count);
        foreach (var item in sealedKeys)
        {
            if (seen.Add(item.KeyHash)) prepared.Add(item);
            else rejected.Add(new ItemRejection(item.Line, ItemRejectionReasons.DuplicateInUpload));
        }

        return new PreparedBatch(received, prepared, rejected);
    }
}

/// <summary>
/// One thread's sealing of keys: the marketplace-wide key hash (<see cref="ItemPreparer.KeyHashPurpose"/> of the key), the
/// listing's fingerprint (<see cref="ItemPreparer.FingerprintPurpose"/> of <c>{listingId:N}:{key}</c>) and the ciphertext,
/// from one UTF-8 encoding of the key placed after the listing prefix in a reused buffer. Not thread-safe.
/// </summary>
internal sealed class KeySealer : IDisposable
{
    private readonly ISecretWorker _secrets;
    private readonly byte[] _prefix;
    private byte[] _buffer;

    public KeySealer(ISecretProtector protector, byte[] prefix)
    {
        _secrets = protector.CreateWorker();
        _prefix = prefix;
        _buffer = new byte[prefix.Length + 256];
        prefix.CopyTo(_buffer, 0);
    }

    public PreparedItem Seal(int line, string payload)
    {
        var needed = _prefix.Length + System.Text.Encoding.UTF8.GetMaxByteCount(payload.Length);
        if (_buffer.Length < needed)
        {
            _buffer = new byte[Math.Max(needed, _buffer.Length * 2)];
            _prefix.CopyTo(_buffer, 0);
        }

        var length = System.Text.Encoding.UTF8.GetBytes(payload, _buffer.AsSpan(_prefix.Length));
        var scoped = _buffer.AsSpan(0, _prefix.Length + length);
        var key = scoped[_prefix.Length..];
        return new PreparedItem(line, Guid.CreateVersion7(), _secrets.Protect(key),
            _secrets.Fingerprint(ItemPreparer.FingerprintPurpose, scoped), _secrets.Fingerprint(ItemPreparer.KeyHashPurpose, key));
    }

    public void Dispose() => _secrets.Dispose();
}

/// <summary>A key as uploaded, with the 1-based line (or list position) it came from.</summary>
public readonly record struct RawKey(int Line, string Value);

/// <param name="Received">Non-empty keys seen.</param>
public sealed record PreparedBatch(int Received, IReadOnlyList<PreparedItem> Items, IReadOnlyList<ItemRejection> Rejected);
