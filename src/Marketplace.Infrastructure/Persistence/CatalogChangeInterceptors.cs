using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Marketplace.Application.Listings.GetCatalog;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// Moves the <see cref="CatalogVersion"/> when a write touches what the catalog shows: at once (so nothing
/// cached before the write is served after it) and again when its transaction commits (so a page read
/// between the write and the commit, still showing the old rows, is not served after the commit).
/// </summary>
public sealed partial class CatalogChanges(CatalogVersion catalog)
{
    private static readonly object Marker = new();
    private readonly ConditionalWeakTable<DbTransaction, object> _pending = new();

    /// <summary>A statement wrote catalog rows (raw statements call this themselves; EF Core's commands are watched).</summary>
    public void Written(DbTransaction? transaction)
    {
        catalog.Advance();
        if (transaction is not null) _pending.AddOrUpdate(transaction, Marker);
    }

    public void Committed(DbTransaction transaction)
    {
        if (_pending.Remove(transaction)) catalog.Advance();
    }

    /// <summary>
    /// Listings (any change: stock, edits, status) and ratings; wallets only when their status is set (a paused
    /// wallet hides its listings), not for the matcher's lease and cursor updates, which are constant.
    /// Accounts only when their display name is set (every order placement and login writes accounts too).
    /// Seller sales counts (completed orders) are not watched: they may lag by the cache lifetime.
    /// </summary>
    public static bool Touches(string sql) => CatalogWrite().IsMatch(sql) || WalletStatusWrite().IsMatch(sql) || DisplayNameWrite().IsMatch(sql);

    [GeneratedRegex("""\b(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+"?(?:listings|seller_ratings)"?[\s(]""", RegexOptions.IgnoreCase)]
    private static partial Regex CatalogWrite();

    /// <summary><c>UPDATE wallets ... SET ... "Status" =</c> before any WHERE of the same statement.</summary>
    [GeneratedRegex("""\bUPDATE\s+"?wallets"?\s(?:(?!\bWHERE\b)[^;])*?\bSET\b(?:(?!\bWHERE\b)[^;])*?"Status"\s*=""", RegexOptions.IgnoreCase)]
    private static partial Regex WalletStatusWrite();

    /// <summary><c>UPDATE accounts ... SET ... "DisplayName" =</c> before any WHERE of the same statement.</summary>
    [GeneratedRegex("""\bUPDATE\s+"?accounts"?\s(?:(?!\bWHERE\b)[^;])*?\bSET\b(?:(?!\bWHERE\b)[^;])*?"DisplayName"\s*=""", RegexOptions.IgnoreCase)]
    private static partial Regex DisplayNameWrite();
}

/// <summary>Tells <see cref="CatalogChanges"/> of every EF Core command that writes catalog rows. One look at the text per command.</summary>
internal sealed class CatalogChangeInterceptor(CatalogChanges changes) : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Observe(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Observe(command);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Observe(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Observe(command);
        return ValueTask.FromResult(result);
    }

    private void Observe(DbCommand command)
    {
        if (CatalogChanges.Touches(command.CommandText)) changes.Written(command.Transaction);
    }
}

/// <summary>The commit half: a transaction that wrote catalog rows moves the version once more when it commits.</summary>
internal sealed class CatalogCommitInterceptor(CatalogChanges changes) : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => changes.Committed(transaction);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        changes.Committed(transaction);
        return Task.CompletedTask;
    }
}
