using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Marketplace.Infrastructure.Persistence;

internal static class DatabaseErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException is { } inner && IsProviderUniqueViolation(inner);

    /// <summary>For statements EF Core does not wrap (ExecuteUpdate, raw commands): the provider's exception itself, or one it wraps.</summary>
    public static bool IsUniqueViolationError(Exception exception) =>
        IsProviderUniqueViolation(exception) || exception.InnerException is { } inner && IsUniqueViolationError(inner);

    private static bool IsProviderUniqueViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint
                                  && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        _ => false,
    };
}
