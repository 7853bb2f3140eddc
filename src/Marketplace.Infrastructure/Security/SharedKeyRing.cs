using Marketplace.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Infrastructure.Security;

/// <summary>
/// Loads (or creates) the token key ring at start-up, one instance at a time. Instances started
/// together would otherwise each create a first key, and one could refuse a token issued under the
/// other's until its ring is next refreshed.
/// </summary>
public static class SharedKeyRing
{
    /// <summary>An arbitrary, fixed advisory-lock number for "creating the key ring".</summary>
    private const long LockId = 0x4D6B_7452_696E_67;

    public static async Task EnsureAsync(ApplicationDbContext db, IDataProtectionProvider provider, CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsNpgsql())
        {
            Touch(provider); // SQLite: one process
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockId})", cancellationToken);
        // The key store writes through its own connection and commits by itself; the lock only orders the instances.
        Touch(provider);
        await transaction.CommitAsync(cancellationToken);
    }

    private static void Touch(IDataProtectionProvider provider) => provider.CreateProtector("Marketplace.KeyRing").Protect([1]);
}
