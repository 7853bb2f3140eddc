using Marketplace.Application.Common.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>Thrown at start-up when the database belongs to the other mode; the service must not start.</summary>
public sealed class DatabaseModeMismatchException(string message) : Exception(message);

/// <summary>
/// Binds a database to one <see cref="ServiceMode"/> at start-up (after migrations). A database
/// with no marker is claimed by the mode starting on it, except one that already holds data from a
/// release before modes existed: those releases paid through the embedded emulator by default, so
/// such a database is sandbox and a Live service refuses it (ADR 0006).
/// </summary>
public static class DatabaseModeGuard
{
    /// <summary>The migration that created <c>database_mode</c>; before it, a database has no marker to read.</summary>
    private const string MarkerMigrationSuffix = "_OperatingModes";

    /// <summary>
    /// Before migrations: a database that already records the other mode is refused untouched. A
    /// database without the marker table yet is left to <see cref="EnsureAsync"/> after migrating.
    /// </summary>
    public static async Task RefuseOtherModeAsync(ApplicationDbContext db, ServiceMode mode, CancellationToken cancellationToken = default)
    {
        var applied = await db.Database.GetAppliedMigrationsAsync(cancellationToken);
        if (!applied.Any(m => m.EndsWith(MarkerMigrationSuffix, StringComparison.Ordinal))) return;
        var recorded = await db.DatabaseModeMarkers.AsNoTracking()
            .Select(m => new { m.Mode, m.Reason, m.RecordedAt }).SingleOrDefaultAsync(cancellationToken);
        if (recorded is not null && recorded.Mode != mode)
            throw Mismatch(recorded.Mode, recorded.Reason, recorded.RecordedAt, mode);
    }

    public static async Task EnsureAsync(ApplicationDbContext db, ServiceMode mode, TimeProvider clock, ILogger logger, CancellationToken cancellationToken = default)
    {
        var marker = await db.DatabaseModeMarkers.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (marker is null)
        {
            var legacy = await db.Accounts.AnyAsync(cancellationToken) || await db.Wallets.AnyAsync(cancellationToken);
            var claimed = legacy ? ServiceMode.Sandbox : mode;
            var reason = legacy ? "Data from a release before operating modes: sandbox" : $"First started in {mode} mode";
            db.DatabaseModeMarkers.Add(new DatabaseModeMarker(claimed, clock.GetUtcNow(), reason));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Database marked as {Mode}: {Reason}", claimed, reason);
            }
            catch (DbUpdateException ex) when (DatabaseErrors.IsUniqueViolation(ex))
            {
                // Another instance marked it at the same moment; its marker is the one that counts.
                db.ChangeTracker.Clear();
            }

            marker = await db.DatabaseModeMarkers.AsNoTracking().SingleAsync(cancellationToken);
        }

        if (marker.Mode != mode) throw Mismatch(marker.Mode, marker.Reason, marker.RecordedAt, mode);
    }

    private static DatabaseModeMismatchException Mismatch(ServiceMode owner, string reason, DateTimeOffset at, ServiceMode mode) =>
        new($"This database belongs to a {owner} service ({reason}, {at:u}); " +
            $"a {mode} service refuses to use it. Point ConnectionStrings:Marketplace at a database of its own.");
}
