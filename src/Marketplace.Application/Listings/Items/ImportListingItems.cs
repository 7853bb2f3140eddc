using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
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
        var records = command.Format == KeyFileFormat.Csv
            ? KeyFileReader.ReadCsvAsync(command.Body, cancellationToken)
            : KeyFileReader.ReadPlainAsync(command.Body, cancellationToken);
        // Read, prepared and stored as the body arrives: the first chunks are in the database while later ones are read and hashed.
        var result = await ListingItemsIntake.StoreAsync(preparer, store, listing, Bounded(records, cancellationToken), clock.GetUtcNow(),
            cancellationToken, logger);
        // Counts and timings only: the keys themselves are secrets.
        logger.LogInformation(
            "Import into listing {ListingId}: {Received} received, {Added} added, {Rejected} rejected in {Elapsed} ms",
            listing.Id, result.Received, result.Added, result.Rejected, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// The upload's non-empty keys, at most <see cref="MaxKeysPerImport"/>, and at least one. Checked as they stream: a failure
    /// ends the import, and the transaction that stored its first chunks rolls back.
    /// </summary>
    private static async IAsyncEnumerable<RawKey> Bounded(IAsyncEnumerable<RawKey> records, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var key in records.WithCancellation(cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(key.Value)) continue;
            if (count == MaxKeysPerImport)
                throw new ValidationException([new ValidationFailure("body", $"An import may hold at most {MaxKeysPerImport} keys; split the file.")]);
            count++;
            yield return key;
        }

        if (count == 0)
            throw new ValidationException([new ValidationFailure("body", "The upload holds no keys.")]);
    }
}

/// <summary>
/// The one path keys take into stock, from a JSON list or a file upload. Keys are prepared in chunks on one task and stored on
/// another as they come (a bounded hand-off of two chunks), so hashing and encryption overlap the database's work.
/// </summary>
internal static class ListingItemsIntake
{
    /// <summary>Keys per chunk: large enough that the per-chunk statements cost little, small enough that storing starts early.</summary>
    internal const int ChunkSize = 20_000;

    public static Task<ImportListingItemsResult> StoreAsync(
        ItemPreparer preparer, IListingItemStore store, Domain.Listings.Listing listing, IReadOnlyList<RawKey> keys, DateTimeOffset now,
        CancellationToken cancellationToken, ILogger? logger = null) =>
        StoreAsync(preparer, store, listing, Stream(keys), now, cancellationToken, logger);

    private static async IAsyncEnumerable<RawKey> Stream(IReadOnlyList<RawKey> keys)
    {
        await Task.CompletedTask;
        foreach (var key in keys) yield return key;
    }

    public static async Task<ImportListingItemsResult> StoreAsync(
        ItemPreparer preparer, IListingItemStore store, Domain.Listings.Listing listing, IAsyncEnumerable<RawKey> keys, DateTimeOffset now,
        CancellationToken cancellationToken, ILogger? logger = null)
    {
        var started = Stopwatch.GetTimestamp();
        var upload = preparer.Start(listing.Id);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = Channel.CreateBounded<IReadOnlyList<PreparedItem>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var preparing = TimeSpan.Zero;
        var producer = Task.Run(async () =>
        {
            try
            {
                var chunk = new List<RawKey>(ChunkSize);
                await foreach (var key in keys.WithCancellation(stop.Token))
                {
                    chunk.Add(key);
                    if (chunk.Count < ChunkSize) continue;
                    await chunks.Writer.WriteAsync(Prepare(chunk), stop.Token);
                    chunk = new List<RawKey>(ChunkSize);
                }

                if (chunk.Count > 0) await chunks.Writer.WriteAsync(Prepare(chunk), stop.Token);
                chunks.Writer.Complete();
            }
            catch (Exception ex)
            {
                chunks.Writer.TryComplete(ex);
                throw;
            }
        }, CancellationToken.None);

        IReadOnlyList<PreparedItem> Prepare(List<RawKey> chunk)
        {
            var at = Stopwatch.GetTimestamp();
            var prepared = upload.Prepare(chunk);
            preparing += Stopwatch.GetElapsedTime(at);
            return prepared;
        }

        ItemStoreResult stored;
        try
        {
            stored = await store.AddAsync(listing.Id, listing.SellerId, chunks.Reader.ReadAllAsync(stop.Token), now, cancellationToken);
        }
        catch (Exception storing)
        {
            await stop.CancelAsync();
            // When the keys failed first (too many, none, a broken body), that is the error to report, not the store's echo of it.
            try
            {
                await producer;
            }
            catch (Exception reading) when (reading is not OperationCanceledException || cancellationToken.IsCancellationRequested)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(reading);
            }
            catch (OperationCanceledException)
            {
                // stopped because the store failed
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(storing);
            throw;
        }

        await producer;
        logger?.LogDebug("Listing {ListingId}: {Count} keys hashed and encrypted in {Prepare} ms (overlapping the store), done in {Total} ms",
            listing.Id, upload.Received, (long)preparing.TotalMilliseconds, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var rejections = upload.Rejected.Concat(stored.Rejected).OrderBy(r => r.Line).ToList();
        return new ImportListingItemsResult(
            upload.Received, stored.Added, rejections.Count,
            rejections.GroupBy(r => r.Reason).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            rejections.Take(ImportListingItemsHandler.MaxReportedRejections).ToList(),
            stored.Stock);
    }
}
