using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Marketplace.Application.Listings.GetCatalog;

public enum CatalogSort { Newest, PriceAsc, PriceDesc, Rating }

public static class CatalogSortNames
{
    public static readonly IReadOnlyDictionary<string, CatalogSort> ByName = new Dictionary<string, CatalogSort>(StringComparer.Ordinal)
    {
        ["newest"] = CatalogSort.Newest,
        ["price_asc"] = CatalogSort.PriceAsc,
        ["price_desc"] = CatalogSort.PriceDesc,
        ["rating"] = CatalogSort.Rating,
    };

    /// <summary>Null is the default (newest); an unknown name is refused by the validator before this runs.</summary>
    public static CatalogSort Parse(string? name) => name is not null && ByName.TryGetValue(name, out var sort) ? sort : CatalogSort.Newest;
}

/// <summary>
/// The opaque continuation of a catalog page: the sort it belongs to, the last row's sort key and its id,
/// base64url-encoded. Clients must not build or parse it; it may change between releases.
/// </summary>
public static class CatalogCursor
{
    public readonly record struct Position(long Key, Guid Id);

    public static long Minor(decimal amount) => (long)decimal.Round(amount * 100m, 0);

    public static string Encode(CatalogSort sort, CatalogRow row)
    {
        var key = sort switch
        {
            CatalogSort.PriceAsc or CatalogSort.PriceDesc => row.Listing.PriceMinor,
            CatalogSort.Rating => row.RatingKey,
            _ => row.Listing.CreatedAt.UtcTicks,
        };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"1|{(int)sort}|{key}|{row.Listing.Id:N}")));
    }

    /// <summary>False when the text is not a cursor of this sort (the validator reports it as a 400 first).</summary>
    public static bool TryDecode(string cursor, CatalogSort sort, out Position position)
    {
        position = default;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
            if (parts.Length != 4 || parts[0] != "1") return false;
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s != (int)sort) return false;
            if (!long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)) return false;
            if (!Guid.TryParseExact(parts[3], "N", out var id)) return false;
            if (sort == CatalogSort.Newest && (key < DateTimeOffset.MinValue.UtcTicks || key > DateTimeOffset.MaxValue.UtcTicks)) return false;
            if (sort == CatalogSort.Rating && key is < int.MinValue or > int.MaxValue) return false;
            position = new Position(key, id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
