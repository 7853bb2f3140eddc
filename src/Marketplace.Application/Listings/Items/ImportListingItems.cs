using System.Diagnostics;
using FluentValidation;
using FluentValidation.Results;
using Marketplace.Application.Common.Interfaces;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Listings.Items;

public enum KeyFileFormat { PlainText, Csv }

/// <summary>
/// Bulk import of keys from a text or CSV upload, read as it streams. Keys are trimmed and empty lines
/// skipped. Repeats within the upload, keys the listing or another of the seller's listings already has, and
/// keys sold anywhere on the marketplace are reported by line and reason and not stored; the rest are stored
/// in one transaction (all or none) and the stock counter rises once.
/// </summary>
public sealed record ImportListingItemsCommand(Guid ListingId, TextReader Body, KeyFileFormat Format) : ICommand<ImportListingItemsResult>
{
    public override string ToString() => $"ImportListingItemsCommand {{ ListingId = {ListingId}, Format = {Format} }}";
}

/// <param name="Received">Non-empty keys in the upload.</param>
/// <param name="RejectedByReason">Count per reason (<see cref="ItemRejectionReasons"/>).</param>
/// <param name="Rejections">The first <see cref="ImportListingItemsHandler.MaxReportedRejections"/> rejections in line order.</param>
public sealed record ImportListingItemsResult(
    int Received, int Added, int Rejected, IReadOnlyDictionary<string, int> RejectedByReason, IReadOnlyList<ItemRejection> Rejections, int Stock);

public sealed class ImportListingItemsHandler(
    IApplicationDbContext db, ICurrentUser currentUser, ItemPreparer preparer, IListingItemStore store, TimeProvider clock,
    ILogger<ImportListingItemsHandler> logger)
    : ICommandHandler<ImportListingItemsCommand, ImportListingItemsResult>
{
    public const int MaxKeysPerImport = 100_000;
    public const int MaxReportedRejections = 1_000;

    public async ValueTask<ImportListingItemsResult> Handle(ImportListingItemsCommand command, CancellationToken cancellationToken)
    {
        var sellerId = currentUser.RequireAccountId();
        var listing = await ListingItemAccess.OwnListingAsync(db, sellerId, command.ListingId, cancellationToken);
        ListingItemAccess.EnsureStockable(listing);

        var started = Stopwatch.GetTimestamp();
        var keys = new List<RawKey>();
        var records = command.Format == KeyFileFormat.Csv
            ? KeyFileReader.ReadCsvAsync(command.Body, cancellationToken)
            : KeyFileReader.ReadPlainAsync(command.Body, cancellationToken);
        await foreach (var key in records)
        {
            if (string.IsNullOrWhiteSpace(key.Value)) continue;
            if (keys.Count == MaxKeysPerImport)
                throw new ValidationException([new ValidationFailure("body", $"An import may hold at most {MaxKeysPerImport} keys; split the file.")]);
            keys.Add(key);
        }

        if (keys.Count == 0)
            throw new ValidationException([new ValidationFailure("body", "The upload holds no keys.")]);

        var read = Stopwatch.GetElapsedTime(started);
        var result = await ListingItemsIntake.StoreAsync(preparer, store, listing, keys, clock.GetUtcNow(), cancellationToken, logger);
        // Counts and timings only: the keys themselves are secrets.
        logger.LogInformation(
            "Import into listing {ListingId}: {Received} received, {Added} added, {Rejected} rejected in {Elapsed} ms (reading the upload {Read} ms)",
            listing.Id, result.Received, result.Added, result.Rejected, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, (long)read.TotalMilliseconds);
        return result;
    }
}

/// <summary>The one path keys take into stock, from a JSON list or a file upload.</summary>
internal static class ListingItemsIntake
{
    public static async Task<ImportListingItemsResult> StoreAsync(
        ItemPreparer preparer, IListingItemStore store, Domain.Listings.Listing listing, IReadOnlyList<RawKey> keys, DateTimeOffset now,
        CancellationToken cancellationToken, ILogger? logger = null)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = preparer.Prepare(listing.Id, keys);
        var prepared = Stopwatch.GetElapsedTime(started);
        var stored = await store.AddAsync(listing.Id, listing.SellerId, batch.Items, now, cancellationToken);
        logger?.LogDebug("Listing {ListingId}: {Count} keys hashed and encrypted in {Prepare} ms, stored in {Store} ms", listing.Id, batch.Items.Count,
            (long)prepared.TotalMilliseconds, (long)(Stopwatch.GetElapsedTime(started) - prepared).TotalMilliseconds);
        var rejections = batch.Rejected.Concat(stored.Rejected).OrderBy(r => r.Line).ToList();
        return new ImportListingItemsResult(
            batch.Received, stored.Added, rejections.Count,
            rejections.GroupBy(r => r.Reason).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            rejections.Take(ImportListingItemsHandler.MaxReportedRejections).ToList(),
            stored.Stock);
    }
}
