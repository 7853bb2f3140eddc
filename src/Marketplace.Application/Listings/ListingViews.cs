using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Marketplace.Domain.Wallets;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings;

/// <summary>A listing as clients see it (wallet pause, seller summary) and its entity tag.</summary>
public sealed class ListingViews(IApplicationDbContext db, Reputation.SellerReputation reputation)
{
    public async Task<ListingView> ViewAsync(Listing listing, CancellationToken cancellationToken)
    {
        var walletPaused = await db.Wallets.AsNoTracking().AnyAsync(w => w.Id == listing.WalletId && w.Status != WalletStatus.Active, cancellationToken);
        var seller = await reputation.SummariesAsync([listing.SellerId], cancellationToken);
        var dto = ListingDto.From(listing, walletPaused, seller[listing.SellerId]);
        return new ListingView(dto, ListingETag.Of(dto));
    }
}

/// <summary>The representation and its strong entity tag.</summary>
public sealed record ListingView(ListingDto Listing, string ETag);

/// <summary>
/// Entity tags: the listing's version (what If-Match on an edit is about) and a hash of everything the
/// representation shows, so the tag changes when stock moves, the wallet pauses it or the seller's rating
/// changes, not only when the seller edits it. Strong: equal tags mean byte-equal JSON.
/// </summary>
public static class ListingETag
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Of(ListingDto listing) => $"\"{listing.Version}-{Hash(listing)}\"";

    /// <summary>A tag for any value (a catalog page): the hash of its JSON.</summary>
    public static string Hash<T>(T value) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(value, Json)).AsSpan(0, 12));

    /// <summary>
    /// True when an If-Match header value (<c>*</c>, one tag, or a comma-separated list) matches <paramref name="current"/>.
    /// Weak tags never match (RFC 9110 13.1.1 uses the strong comparison).
    /// </summary>
    public static bool Matches(string ifMatch, string current) =>
        ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || string.Equals(tag, current, StringComparison.Ordinal));
}
