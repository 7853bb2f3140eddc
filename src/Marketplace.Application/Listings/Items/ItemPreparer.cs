using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Listings.Items;

/// <summary>
/// Turns raw keys into rows ready to store: trimmed, checked (length, control characters), hashed, encrypted and
/// deduplicated within the upload by their key hash. An upload is prepared chunk by chunk (<see cref="Start"/>), so
/// the first chunks can be stored while later ones are still arriving; hashing and AES-GCM run in parallel within a
/// chunk, everything else in upload order, so the first occurrence of a repeated key is the one kept.
/// </summary>
public sealed class ItemPreparer(ISecretProtector protector)
{
    /// <summary>Listing-scoped fingerprint (unique per listing, as before key hashes existed).</summary>
    internal const string FingerprintPurpose = "listing-item";

    /// <summary>The marketplace-wide keyed hash of a payload: one key, one hash, whichever listing or seller.</summary>
    internal const string KeyHashPurpose = "listing-item-key";

    public const int MaxItemLength = 4096;

    /// <summary>The preparation of one upload into <paramref name="listingId"/>, fed chunk by chunk in upload order.</summary>
    public PreparedUpload Start(Guid listingId) => new(protector, listingId);

    /// <summary>A whole list at once (one chunk).</summary>
    public PreparedBatch Prepare(Guid listingId, IReadOnlyList<RawKey> keys)
    {
        var upload = Start(listingId);
        var items = upload.Prepare(keys);
        return new PreparedBatch(upload.Received, items, upload.Rejected);
    }

    /// <summary>The UTF-8 bytes the listing's fingerprint puts before the key: <c>{listingId:N}:</c> (ASCII).</summary>
    internal static byte[] FingerprintPrefix(Guid listingId) => System.Text.Encoding.ASCII.GetBytes($"{listingId:N}:");
}

/// <summary>
/// One upload's preparation. Chunks must come in upload order, one at a time (the repeat check spans chunks); each
/// chunk is sealed in parallel. What it refused (too long, invalid characters, repeats) is in <see cref="Rejected"/>.
/// </summary>
public sealed class PreparedUpload
{
    private readonly ISecretProtector _protector;
    private readonly byte[] _prefix;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<ItemRejection> _rejected = [];

    internal PreparedUpload(ISecretProtector protector, Guid listingId)
    {
        _protector = protector;
        _prefix = ItemPreparer.FingerprintPrefix(listingId);
    }

    /// <summary>Non-empty keys seen so far.</summary>
    public int Received { get; private set; }

    /// <summary>Keys refused before the database saw them, in upload order.</summary>
    public IReadOnlyList<ItemRejection> Rejected => _rejected;

    public IReadOnlyList<PreparedItem> Prepare(IReadOnlyList<RawKey> keys)
    {
        var valid = new List<(int Line, string Payload)>(keys.Count);
        foreach (var key in keys)
        {
            var payload = key.Value.Trim();
            if (payload.Length == 0) continue;
            Received++;
            if (payload.Length > ItemPreparer.MaxItemLength) _rejected.Add(new ItemRejection(key.Line, ItemRejectionReasons.TooLong));
            else if (CommonRules.ContainsControlCharacter(payload, allowLineBreaks: true))
                _rejected.Add(new ItemRejection(key.Line, ItemRejectionReasons.InvalidCharacters));
            else valid.Add((key.Line, payload));
        }

        // Hashing and encryption in parallel, each worker with its own HMAC/AES-GCM state and UTF-8 buffer. Every valid key is
        // encrypted, repeats too: they are rare, and one pass is cheaper than a second over the keys kept.
        var sealedKeys = new PreparedItem[valid.Count];
        Parallel.For(0, valid.Count, () => new KeySealer(_protector, _prefix), (i, _, sealer) =>
        {
            var (line, payload) = valid[i];
            sealedKeys[i] = sealer.Seal(line, payload);
            return sealer;
        }, sealer => sealer.Dispose());

        // In upload order, so the first occurrence of a repeated key is the one kept.
        var prepared = new List<PreparedItem>(valid.Count);
        foreach (var item in sealedKeys)
        {
            if (_seen.Add(item.KeyHash)) prepared.Add(item);
            else _rejected.Add(new ItemRejection(item.Line, ItemRejectionReasons.DuplicateInUpload));
        }

        return prepared;
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

        // "{listingId:N}:" is ASCII, so the UTF-8 of the prefixed text is the prefix's bytes followed by the key's.
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
