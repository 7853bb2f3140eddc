using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Listings.Items;
using Marketplace.Domain.Listings;
using Marketplace.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.Infrastructure.BackgroundJobs;

/// <summary>
/// Gives items stored before key hashes existed their <see cref="ListingItem.KeyHash"/>, so "was this key ever
/// sold" and "is it in another listing of this seller" see them too. A migration cannot: the hash needs the secret
/// key and the decrypted payload. Runs once at every start, in batches, sold items first (the rule that protects
/// other buyers reads those). A key the same seller stored twice before the rule gets the hash on one row only (the
/// unique index allows no more); those rows are counted and logged, and looked at again at the next start.
/// </summary>
public sealed class KeyHashBackfill(IServiceScopeFactory scopes, ILogger<KeyHashBackfill> logger) : BackgroundService
{
    public const int BatchSize = 500;

    public async Task<KeyHashBackfillPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var hashed = 0;
        var unreadable = 0;
        foreach (var sold in new[] { true, false })
        {
            Guid? after = null;
            while (true)
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
                var protector = scope.ServiceProvider.GetRequiredService<ISecretProtector>();
                var query = db.ListingItems.AsNoTracking().Where(i => i.KeyHash == null && (i.Status == ListingItemStatus.Sold) == sold);
                if (after is { } last) query = query.Where(i => i.Id.CompareTo(last) > 0);
                var batch = await query.OrderBy(i => i.Id).Take(BatchSize)
                    .Select(i => new { i.Id, i.SellerId, i.EncryptedPayload }).ToListAsync(cancellationToken);
                if (batch.Count == 0) break;
                after = batch[^1].Id;

                var hashes = new List<(Guid Id, Guid SellerId, string Hash)>(batch.Count);
                foreach (var item in batch)
                {
                    try
                    {
                        hashes.Add((item.Id, item.SellerId, ItemKeyHashes.Of(protector, protector.Unprotect(item.EncryptedPayload))));
                    }
                    catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException)
                    {
                        unreadable++;
                        logger.LogError("Item {ItemId}: its payload cannot be decrypted with the configured keys; it keeps no key hash", item.Id);
                    }
                }

                // One row per seller and hash in a batch: two would pass the NOT EXISTS below together and break the unique index.
                hashed += await StoreAsync(db, hashes.DistinctBy(h => (h.SellerId, h.Hash)).ToList(), cancellationToken);
            }
        }

        var left = await CountLeftAsync(cancellationToken);
        if (hashed > 0 || left > 0)
            logger.LogInformation(
                "Key hashes: {Hashed} older items hashed; {Left} still without one (the same key twice in one seller's stock, stored before the rule, or unreadable: {Unreadable})",
                hashed, left, unreadable);
        return new KeyHashBackfillPass(hashed, left);
    }

    /// <summary>
    /// One transaction for the batch. If another writer (a second instance, an import) took a hash of one of these
    /// sellers meanwhile, the index refuses the batch; then each row goes alone, and the refused ones stay without.
    /// </summary>
    private async Task<int> StoreAsync(ApplicationDbContext db, IReadOnlyList<(Guid Id, Guid SellerId, string Hash)> rows, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var stored = 0;
            foreach (var row in rows) stored += await SetAsync(db, row, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return stored;
        }
        catch (Exception ex) when (DatabaseErrors.IsUniqueViolationError(ex))
        {
            var stored = 0;
            foreach (var row in rows)
            {
                try
                {
                    stored += await SetAsync(db, row, cancellationToken);
                }
                catch (Exception one) when (DatabaseErrors.IsUniqueViolationError(one))
                {
                    logger.LogDebug("Item {ItemId}: another row of its seller took the same key hash first", row.Id);
                }
            }

            return stored;
        }
    }

    private static Task<int> SetAsync(ApplicationDbContext db, (Guid Id, Guid SellerId, string Hash) row, CancellationToken cancellationToken) =>
        db.ListingItems
            .Where(i => i.Id == row.Id && i.KeyHash == null
                        && !db.ListingItems.Any(o => o.SellerId == row.SellerId && o.KeyHash == row.Hash))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.KeyHash, row.Hash), cancellationToken);

    private async Task<int> CountLeftAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        return await db.ListingItems.CountAsync(i => i.KeyHash == null, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Key hash backfill failed; it runs again at the next start");
        }
    }
}

/// <param name="Hashed">Rows given their key hash by this run.</param>
/// <param name="Left">Rows still without one.</param>
public sealed record KeyHashBackfillPass(int Hashed, int Left);
