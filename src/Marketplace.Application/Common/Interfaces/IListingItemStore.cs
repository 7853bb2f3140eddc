namespace Marketplace.Application.Common.Interfaces;

/// <summary>
/// Stores prepared items into a listing in one transaction, set-based, chunk by chunk as they come: items whose key the
/// listing, another listing of the same seller, or any sale on the marketplace already has are skipped and reported; the
/// rest are inserted and the listing's stock counter is raised once by their number (ADR 0003). All or nothing: when
/// the chunks fail (the upload breaks off, holds too many keys), nothing is stored.
/// </summary>
public interface IListingItemStore
{
    /// <param name="chunks">Read once, in order; no key repeats across chunks (the preparer removed repeats).</param>
    Task<ItemStoreResult> AddAsync(Guid listingId, Guid sellerId, IAsyncEnumerable<IReadOnlyList<PreparedItem>> chunks, DateTimeOffset now,
        CancellationToken cancellationToken);
}

/// <summary>One key ready to store: encrypted payload, listing-scoped fingerprint, marketplace-wide key hash.</summary>
public sealed record PreparedItem(int Line, Guid Id, string EncryptedPayload, string Fingerprint, string KeyHash);

/// <summary>What the store did: how many it added, the lines it refused (with an <see cref="ItemRejection"/> reason), the stock after.</summary>
public sealed record ItemStoreResult(int Added, IReadOnlyList<ItemRejection> Rejected, int Stock);

/// <param name="Line">1-based line of the upload (for a JSON list: 1-based position).</param>
/// <param name="Reason">One of <see cref="ItemRejectionReasons"/>.</param>
public sealed record ItemRejection(int Line, string Reason);

/// <summary>Why a key was not stored; stable strings clients may switch on.</summary>
public static class ItemRejectionReasons
{
    public const string DuplicateInUpload = "duplicate_in_upload";
    public const string AlreadyInListing = "already_in_listing";
    public const string InOtherListing = "in_other_listing";
    public const string PreviouslySold = "previously_sold";
    public const string TooLong = "too_long";
    public const string InvalidCharacters = "invalid_characters";
}
