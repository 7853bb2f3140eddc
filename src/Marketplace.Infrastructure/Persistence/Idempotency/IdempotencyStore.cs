using Marketplace.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Infrastructure.Persistence.Idempotency;

/// <summary>What became of the attempt to start a request under an Idempotency-Key.</summary>
public abstract record IdempotencyStart
{
    /// <summary>This request holds the key: run it, then complete or release the record.</summary>
    public sealed record Started(Guid RecordId) : IdempotencyStart;

    /// <summary>The key's request finished before: answer with its response.</summary>
    public sealed record Replay(IdempotentResponse Response) : IdempotencyStart;

    /// <summary>The key's request is still running.</summary>
    public sealed record InProgress : IdempotencyStart;

    /// <summary>The key was used for a different request (another body, path or method).</summary>
    public sealed record Mismatch : IdempotencyStart;
}

public sealed record IdempotentResponse(int Status, string? ContentType, string? Location, byte[] Body);

/// <summary>
/// Keeps Idempotency-Keys (docs/api.md "Idempotency"). The unique index on (account, key) decides
/// which request runs: a request inserts its "started" row first, and a request that loses the insert
/// reads the winner's row instead. Each call runs in a database context of its own, apart from the
/// request's, so neither's failures or transactions touch the other.
/// </summary>
public sealed class IdempotencyStore(IServiceScopeFactory scopes, TimeProvider clock, ISecretProtector protector)
{
    /// <summary>How long a key is remembered after its first use.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// A request holding its key longer than this died with its instance (requests time out long
    /// before); the next retry takes the key over and runs. What the dead request committed, if
    /// anything, cannot be known here: the same as a client that retried without a key.
    /// </summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(5);

    /// <summary>Expired keys of all accounts are deleted at most this often, by whichever request comes.</summary>
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(10);

    private long _nextPurgeTicks;

    public async Task<IdempotencyStart> StartAsync(Guid accountId, string key, string method, string route, string requestHash,
        CancellationToken cancellationToken)
    {
        await PurgeExpiredIfDueAsync(cancellationToken);
        // Two rounds at most: the row we collided with may be released (deleted) before we read it.
        for (var attempt = 0; ; attempt++)
        {
            var now = clock.GetUtcNow();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            var expired = now - Retention;
            // An expired record of this key goes first, so the key can be used again after the retention.
            await db.IdempotencyRecords.Where(r => r.AccountId == accountId && r.Key == key && r.CreatedAt <= expired)
                .ExecuteDeleteAsync(cancellationToken);

            var record = new IdempotencyRecord(Guid.NewGuid(), accountId, key, method, route, requestHash, now);
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new IdempotencyStart.Started(record.Id);
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
            {
                db.ChangeTracker.Clear();
            }

            var existing = await db.IdempotencyRecords.AsNoTracking()
                .SingleOrDefaultAsync(r => r.AccountId == accountId && r.Key == key, cancellationToken);
            if (existing is null)
            {
                if (attempt < 2) continue;
                return new IdempotencyStart.InProgress();
            }

            if (existing.RequestHash != requestHash || existing.Method != method || existing.Route != route)
                return new IdempotencyStart.Mismatch();
            if (existing.CompletedAt is not null)
                return new IdempotencyStart.Replay(new IdempotentResponse(existing.ResponseStatus!.Value, existing.ResponseContentType,
                    existing.ResponseLocation, existing.ResponseBody is null ? [] : Convert.FromBase64String(protector.Unprotect(existing.ResponseBody))));
            if (existing.LockedAt > now - AbandonedAfter) return new IdempotencyStart.InProgress();

            // Taken over only if nobody else took it over first: the update names the lock time it saw.
            var taken = await db.IdempotencyRecords
                .Where(r => r.Id == existing.Id && r.CompletedAt == null && r.LockedAt == existing.LockedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedAt, now), cancellationToken);
            return taken == 1 ? new IdempotencyStart.Started(existing.Id) : new IdempotencyStart.InProgress();
        }
    }

    /// <summary>Stores the response of the request that held the key: later requests with the key replay it.</summary>
    public async Task CompleteAsync(Guid recordId, IdempotentResponse response, CancellationToken cancellationToken)
    {
        var body = response.Body.Length == 0 ? null : protector.Protect(Convert.ToBase64String(response.Body));
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        await db.IdempotencyRecords.Where(r => r.Id == recordId && r.CompletedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.CompletedAt, now)
                .SetProperty(r => r.ResponseStatus, response.Status)
                .SetProperty(r => r.ResponseContentType, response.ContentType)
                .SetProperty(r => r.ResponseLocation, response.Location)
                .SetProperty(r => r.ResponseBody, body), cancellationToken);
    }

    /// <summary>Forgets the key (the request failed on our side): a retry with it runs again.</summary>
    public async Task ReleaseAsync(Guid recordId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        await db.IdempotencyRecords.Where(r => r.Id == recordId && r.CompletedAt == null).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Deletes every expired key (an indexed range delete), at most once per <see cref="PurgeInterval"/> per instance.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var expired = clock.GetUtcNow() - Retention;
        return await db.IdempotencyRecords.Where(r => r.CreatedAt <= expired).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task PurgeExpiredIfDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var due = Interlocked.Read(ref _nextPurgeTicks);
        if (now < due || Interlocked.CompareExchange(ref _nextPurgeTicks, now + PurgeInterval.Ticks, due) != due) return;
        await PurgeExpiredAsync(cancellationToken);
    }
}
