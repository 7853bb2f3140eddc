using System.Linq.Expressions;
using System.Security.Cryptography;
using Marketplace.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Infrastructure.Security;

/// <summary>Thrown at start-up when this instance's secret keys do not fit the database; the service must not start.</summary>
public sealed class SecretKeyMismatchException(string message) : Exception(message);

/// <summary>
/// Binds the database to the keys its secrets are encrypted under (run at start-up, after migrations).
/// Every instance must hold each registered key with the same bytes; a registered key the instance
/// lacks, or a key file an instance created for itself beside a database that already has data,
/// stops the start with a message saying which key and where it came from. Without this, a
/// second instance would encrypt new wallet tokens and goods under a key nobody else has, and read
/// back garbage.
/// </summary>
public static class SecretKeyGuard
{
    public static async Task EnsureAsync(ApplicationDbContext db, AesGcmSecretProtector protector, TimeProvider clock, ILogger logger,
        CancellationToken cancellationToken = default)
    {
        try
        {
            // Two instances starting together: the loser of a registration race checks again against the winner's rows.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await CheckAndRegisterAsync(db, protector, clock, logger, cancellationToken);
                    return;
                }
                catch (DbUpdateException ex) when (attempt < 3 && DatabaseErrors.IsUniqueViolation(ex))
                {
                    db.ChangeTracker.Clear();
                }
            }
        }
        catch (SecretKeyMismatchException) when (protector.KeyFileCreated is { } created)
        {
            // The file holds a key no data was written under; leave no trace, so placing the right file fixes the start.
            File.Delete(created);
            throw;
        }
    }

    private static async Task CheckAndRegisterAsync(ApplicationDbContext db, AesGcmSecretProtector protector, TimeProvider clock, ILogger logger,
        CancellationToken cancellationToken)
    {
        var registered = await db.SecretKeys.AsNoTracking().ToListAsync(cancellationToken);
        // A database from a release before this registry (or a fresh one): what it holds decides.
        if (registered.Count == 0) await CheckExistingDataAsync(db, protector, cancellationToken);

        foreach (var row in registered)
        {
            // Never forgotten automatically: another instance may be about to write under a key
            // nothing uses yet, and Data Protection keeps its old keys (encrypted under it) forever.
            if (!protector.KeyIds.Contains(row.KeyId))
                throw new SecretKeyMismatchException(
                    $"Secret key '{row.KeyId}' (registered {row.RegisteredAt:u} by {row.RegisteredBy}) is not configured on this instance; " +
                    $"values{(row.Fingerprints ? ", fingerprints" : "")} and the token key ring may be encrypted under it. " + Advice(protector));

            if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(protector.KeyCheck(row.KeyId)), Convert.FromHexString(row.Check)))
                throw new SecretKeyMismatchException(
                    $"Secret key '{row.KeyId}' of this instance is not the key registered under that id " +
                    $"(registered {row.RegisteredAt:u} by {row.RegisteredBy}): values written by one could not be read by the other. " +
                    Advice(protector));
        }

        var fingerprintKey = registered.SingleOrDefault(r => r.Fingerprints)?.KeyId;
        if (fingerprintKey is not null) protector.UseFingerprintKey(fingerprintKey);
        var by = $"{Environment.MachineName}/{Environment.ProcessId}";
        var now = clock.GetUtcNow();
        foreach (var keyId in protector.KeyIds.Where(id => registered.All(r => r.KeyId != id)).Order(StringComparer.Ordinal))
        {
            var fingerprints = fingerprintKey is null && keyId == protector.FingerprintKeyId;
            db.SecretKeys.Add(new SecretKeyRecord(keyId, protector.KeyCheck(keyId), fingerprints, now, by[..Math.Min(by.Length, 200)]));
            logger.LogInformation("Secret key {KeyId} registered{Fingerprints}", keyId, fingerprints ? " (fingerprints)" : "");
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// No registry yet: every key id found in stored ciphertext must be one this instance has, and one
    /// value under each must decrypt (the same id with other bytes would fail here, before anything is written).
    /// </summary>
    private static async Task CheckExistingDataAsync(ApplicationDbContext db, AesGcmSecretProtector protector, CancellationToken cancellationToken)
    {
        var foreign = await FirstNotUnderAsync(db, protector.KeyIds, cancellationToken);
        if (foreign is not null)
        {
            var keyId = foreign.Split('.', 3) is [_, var id, _] ? id : "(unreadable)";
            throw new SecretKeyMismatchException(
                $"The database holds data encrypted under secret key '{keyId}', which this instance does not have. " + Advice(protector));
        }

        foreach (var keyId in protector.KeyIds)
        {
            var sample = await FirstUnderAsync(db, keyId, cancellationToken);
            if (sample is null) continue;
            try
            {
                protector.Unprotect(sample);
            }
            catch (CryptographicException)
            {
                throw new SecretKeyMismatchException(
                    $"Secret key '{keyId}' of this instance does not decrypt the data stored under that id. " + Advice(protector));
            }
        }
    }

    private static string Advice(AesGcmSecretProtector protector) =>
        (protector.KeyFileCreated is { } created
            ? $"This instance had no key and created {created} just now (it has been removed again). "
            : "") +
        "Give every instance the same keys: Secrets:Keys and Secrets:ActiveKeyId from your secret store, or a copy of the first instance's key file (docs/operations.md, \"Secret keys\").";

    private static async Task<string?> FirstUnderAsync(ApplicationDbContext db, string keyId, CancellationToken cancellationToken)
    {
        var prefix = Prefix(keyId);
        return await db.Wallets.Where(w => w.EncryptedToken.StartsWith(prefix)).Select(w => w.EncryptedToken).FirstOrDefaultAsync(cancellationToken)
               ?? await db.Wallets.Where(w => w.EncryptedPushKey!.StartsWith(prefix)).Select(w => w.EncryptedPushKey).FirstOrDefaultAsync(cancellationToken)
               ?? await db.ListingItems.Where(i => i.EncryptedPayload.StartsWith(prefix)).Select(i => i.EncryptedPayload).FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<string?> FirstNotUnderAsync(ApplicationDbContext db, IReadOnlyCollection<string> keyIds, CancellationToken cancellationToken)
    {
        return await First(db.Wallets.Select(w => w.EncryptedToken))
               ?? await First(db.Wallets.Where(w => w.EncryptedPushKey != null).Select(w => w.EncryptedPushKey!))
               ?? await First(db.ListingItems.Select(i => i.EncryptedPayload));

        async Task<string?> First(IQueryable<string> values)
        {
            // One StartsWith per key (each translates to an index-friendly LIKE); read once, when the registry is empty.
            foreach (var prefix in keyIds.Select(Prefix)) values = values.Where(NotStartingWith(prefix));
            return await values.FirstOrDefaultAsync(cancellationToken);
        }
    }

    private static Expression<Func<string, bool>> NotStartingWith(string prefix) => value => !value.StartsWith(prefix);

    private static string Prefix(string keyId) => "v1." + keyId + ".";
}
