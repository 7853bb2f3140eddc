namespace Marketplace.Application.Listings.GetCatalog;

/// <summary>
/// A number that moves whenever this process writes something the catalog shows (a listing, its stock
/// counter, a wallet's status, a rating), and again when that write commits. Cached catalog pages are
/// keyed by it, so a change is visible on the very next read here; another instance's writes are
/// seen when the short cache lifetime ends (docs/operations.md).
/// </summary>
public sealed class CatalogVersion
{
    private long _value;

    public long Current => Interlocked.Read(ref _value);

    public void Advance() => Interlocked.Increment(ref _value);
}
