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

        var hashes = new string[valid.Count];
        Parallel.For(0, valid.Count, i => hashes[i] = protector.Fingerprint(KeyHashPurpose, valid[i].Payload));

        var seen = new HashSet<string>(valid.Count, StringComparer.Ordinal);
        var unique = new List<int>(valid.Count);
        for (var i = 0; i < valid.Count; i++)
        {
            if (seen.Add(hashes[i])) unique.Add(i);
            else rejected.Add(new ItemRejection(valid[i].Line, ItemRejectionReasons.DuplicateInUpload));
        }

        var prepared = new PreparedItem[unique.Count];
        Parallel.For(0, unique.Count, j =>
        {
            var (line, payload) = valid[unique[j]];
            prepared[j] = new PreparedItem(line, Guid.CreateVersion7(), protector.Protect(payload),
                protector.Fingerprint(FingerprintPurpose, $"{listingId:N}:{payload}"), hashes[unique[j]]);
        });
        return new PreparedBatch(received, prepared, rejected);
    }
}

/// <summary>A key as uploaded, with the 1-based line (or list position) it came from.</summary>
public readonly record struct RawKey(int Line, string Value);

/// <param name="Received">Non-empty keys seen.</param>
public sealed record PreparedBatch(int Received, IReadOnlyList<PreparedItem> Items, IReadOnlyList<ItemRejection> Rejected);
