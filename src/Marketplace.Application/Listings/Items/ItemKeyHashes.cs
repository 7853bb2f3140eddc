using Marketplace.Application.Common.Interfaces;

namespace Marketplace.Application.Listings.Items;

/// <summary>The marketplace-wide keyed hash of an item's payload, as uploads compute it (for rows stored before it existed).</summary>
public static class ItemKeyHashes
{
    public static string Of(ISecretProtector protector, string payload) => protector.Fingerprint(ItemPreparer.KeyHashPurpose, payload.Trim());
}
