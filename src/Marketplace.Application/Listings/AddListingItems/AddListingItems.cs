using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Listings;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Listings.AddListingItems;

/// <summary>
/// Adds unique items (keys, codes) to a listing's stock. Items already in the listing, or repeated
/// within the request, are skipped and counted. Payloads are encrypted before they are stored.
/// </summary>
public sealed record AddListingItemsCommand(Guid ListingId, IReadOnlyList<string> Items) : ICommand<AddListingItemsResult>
{
    public override string ToString() => $"AddListingItemsCommand {{ ListingId = {ListingId}, Count = {Items?.Count} }}";
}

public sealed record AddListingItemsResult(int Added, int Duplicates, int Stock);

public sealed class AddListingItemsHandler(
    IApplicationDbContext db, ICurrentUser currentUser, ISecretProtector protector, TimeProvider clock)
    : ICommandHandler<AddListingItemsCommand, AddListingItemsResult>
{
    internal const string FingerprintPurpose = "listing-item";

    public async ValueTask<AddListingItemsResult> Handle(AddListingItemsCommand command, CancellationToken cancellationToken)
    {
        var sellerId = currentUser.RequireAccountId();
        var listingExists = await db.Listings.AnyAsync(l => l.Id == command.ListingId && l.SellerId == sellerId, cancellationToken);
        if (!listingExists) throw new NotFoundException("Listing", command.ListingId);

        // Fingerprints are scoped to the listing: the same key may be sold in two listings, never twice in one.
        var byFingerprint = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in command.Items)
        {
            var payload = raw.Trim();
            byFingerprint.TryAdd(protector.Fingerprint(FingerprintPurpose, $"{command.ListingId:N}:{payload}"), payload);
        }

        var fingerprints = byFingerprint.Keys.ToList();
        var existing = await db.ListingItems
            .Where(i => i.ListingId == command.ListingId && fingerprints.Contains(i.Fingerprint))
            .Select(i => i.Fingerprint)
            .ToListAsync(cancellationToken);
        foreach (var fingerprint in existing) byFingerprint.Remove(fingerprint);

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (fingerprint, payload) in byFingerprint)
            db.ListingItems.Add(new ListingItem(Guid.NewGuid(), command.ListingId, protector.Protect(payload), fingerprint, now));

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            throw new ConflictException("items.concurrent_upload",
                "Another upload to this listing added some of these items at the same moment; retry to add the rest.");
        }

        // Atomic increment: a concurrent order may be decrementing the same counter.
        await db.Listings.Where(l => l.Id == command.ListingId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.AvailableCount, l => l.AvailableCount + byFingerprint.Count), cancellationToken);
        var stock = await db.Listings.Where(l => l.Id == command.ListingId).Select(l => l.AvailableCount).SingleAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new AddListingItemsResult(byFingerprint.Count, command.Items.Count - byFingerprint.Count, stock);
    }
}
