using Marketplace.Application.Common.Interfaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Marketplace.Application.Payments.Matching;

/// <summary>
/// Divides wallets among service instances: a wallet is read by the instance holding its lease (two
/// columns on the wallet row), renewed every pass and taken over by another instance once it expires.
/// The take is one conditional UPDATE, atomic on both databases. Correctness never depends on it (the
/// unique transfer id does that); it keeps two instances from spending one wallet's request budget twice.
/// </summary>
public sealed class WalletLeases(IApplicationDbContext db, TimeProvider clock, IOptions<MatcherOptions> options)
{
    /// <summary>Takes or renews the leases it can; returns the wallets this holder now has, each marked when newly taken (read it all again).</summary>
    public async Task<IReadOnlyList<LeasedWallet>> AcquireAsync(string holder, IReadOnlyCollection<Guid> walletIds, CancellationToken cancellationToken)
    {
        if (walletIds.Count == 0) return [];
        var now = clock.GetUtcNow();
        var until = now + options.Value.LeaseDuration;
        var ids = walletIds.ToList();
        var before = await db.Wallets.AsNoTracking().Where(w => ids.Contains(w.Id))
            .Select(w => new { w.Id, w.LeaseHolder }).ToDictionaryAsync(w => w.Id, w => w.LeaseHolder, cancellationToken);
        await db.Wallets
            .Where(w => ids.Contains(w.Id) && (w.LeaseHolder == holder || w.LeaseHolder == null || w.LeaseExpiresAt == null || w.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseHolder, holder).SetProperty(w => w.LeaseExpiresAt, until), cancellationToken);
        var mine = await db.Wallets.AsNoTracking().Where(w => ids.Contains(w.Id) && w.LeaseHolder == holder)
            .Select(w => w.Id).ToListAsync(cancellationToken);
        return mine.Select(id => new LeasedWallet(id, before.GetValueOrDefault(id) != holder)).ToList();
    }

    /// <summary>Gives every lease of this holder back (a graceful stop): other instances take over at their next pass.</summary>
    public Task<int> ReleaseAllAsync(string holder, CancellationToken cancellationToken) =>
        db.Wallets.Where(w => w.LeaseHolder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseHolder, (string?)null).SetProperty(w => w.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken);

    /// <summary>How many wallets this holder has.</summary>
    public Task<int> CountAsync(string holder, CancellationToken cancellationToken) =>
        db.Wallets.CountAsync(w => w.LeaseHolder == holder && w.LeaseExpiresAt > clock.GetUtcNow(), cancellationToken);
}

/// <param name="Fresh">The lease was just taken (first pass of this instance, or taken over): read again from the oldest unresolved order.</param>
public sealed record LeasedWallet(Guid WalletId, bool Fresh);
