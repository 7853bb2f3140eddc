using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Listings.Items;
using Mediator;

namespace Marketplace.Application.Listings.AddListingItems;

/// <summary>
/// Adds unique items (keys, codes) to a listing's stock from a JSON list. Same rules as the file import
/// (<see cref="ImportListingItemsCommand"/>): repeats within the request, keys the seller already has in any
/// listing and keys ever sold on the marketplace are skipped and counted. Payloads are encrypted before they are stored.
/// </summary>
public sealed record AddListingItemsCommand(Guid ListingId, IReadOnlyList<string> Items) : ICommand<AddListingItemsResult>
{
    public override string ToString() => $"AddListingItemsCommand {{ ListingId = {ListingId}, Count = {Items?.Count} }}";
}

/// <param name="Duplicates">Items skipped (repeated, already held by the seller, or sold before); <c>rejections</c> says which and why.</param>
/// <param name="Rejections">Position in the list (1-based) and reason of each skipped item.</param>
public sealed record AddListingItemsResult(int Added, int Duplicates, int Stock, IReadOnlyList<ItemRejection>? Rejections = null);

public sealed class AddListingItemsHandler(
    IApplicationDbContext db, ICurrentUser currentUser, ItemPreparer preparer, IListingItemStore store, TimeProvider clock)
    : ICommandHandler<AddListingItemsCommand, AddListingItemsResult>
{
    public async ValueTask<AddListingItemsResult> Handle(AddListingItemsCommand command, CancellationToken cancellationToken)
    {
        var sellerId = currentUser.RequireAccountId();
        var listing = await ListingItemAccess.OwnListingAsync(db, sellerId, command.ListingId, cancellationToken);
        ListingItemAccess.EnsureStockable(listing);
        var keys = command.Items.Select((item, index) => new RawKey(index + 1, item)).ToList();
        var result = await ListingItemsIntake.StoreAsync(preparer, store, listing, keys, clock.GetUtcNow(), cancellationToken);
        return new AddListingItemsResult(result.Added, result.Rejected, result.Stock, result.Rejections);
    }
}
