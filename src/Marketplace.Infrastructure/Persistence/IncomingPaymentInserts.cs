using System.Data.Common;
using Marketplace.Domain.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// Records many incoming payments in one statement, skipping those already recorded (the unique pair
/// of rail and transaction id decides, so two instances recording the same page never both insert a row:
/// the second waits for the first to commit, then skips it). Returns the transaction ids it inserted.
/// Columns, conversions and parameters come from the EF Core model, so the rows are exactly those
/// <c>SaveChanges</c> would have written. PostgreSQL takes the rows as one array per column
/// (<c>unnest</c>: one statement shape whatever the page size); SQLite as a multi-row <c>VALUES</c>.
/// </summary>
internal static class IncomingPaymentInserts
{
    /// <summary>SQLite allows 32,766 parameters (999 before 3.32); 40 rows of about 20 columns stay below either.</summary>
    private const int SqliteRowsPerStatement = 40;

    public static async Task<IReadOnlySet<string>> InsertNewAsync(
        ApplicationDbContext db, IReadOnlyList<IncomingPayment> payments, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        if (payments.Count == 0) return inserted;

        var npgsql = db.Database.IsNpgsql();
        var statement = Statements.GetValue(db.Model, Statement.For);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            IEnumerable<IncomingPayment[]> chunks = npgsql ? [payments.ToArray()] : payments.Chunk(SqliteRowsPerStatement);
            foreach (var chunk in chunks)
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                var rows = npgsql ? ArrayRows(command.Parameters, statement.Properties, chunk) : ValueRows(command, statement.Properties, chunk);
                command.CommandText = statement.Head + rows + statement.Tail;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) inserted.Add(reader.GetString(0));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return inserted;
    }

    /// <summary>
    /// PostgreSQL: the same statement as a command of a batch (<see cref="SetBasedSave"/>), so the insert shares the
    /// save's round trip; it returns the transaction ids inserted, one per row.
    /// </summary>
    public static NpgsqlBatchCommand BatchCommand(ApplicationDbContext db, IReadOnlyList<IncomingPayment> payments)
    {
        var statement = Statements.GetValue(db.Model, Statement.For);
        var command = new NpgsqlBatchCommand();
        command.CommandText = statement.Head + ArrayRows(command.Parameters, statement.Properties, payments.ToArray()) + statement.Tail;
        return command;
    }

    /// <summary>The statement's fixed parts, worked out once per model (they only depend on the mapping).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, Statement> Statements = new();

    private sealed record Statement(IReadOnlyList<IProperty> Properties, string Head, string Tail)
    {
        public static Statement For(IModel model)
        {
            var entityType = model.FindEntityType(typeof(IncomingPayment))!;
            var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            var properties = entityType.GetProperties().ToList();
            string Column(string property) => Quote(entityType.FindProperty(property)!.GetColumnName(table)!);
            var columns = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(table)!)));
            return new Statement(properties,
                $"INSERT INTO {Quote(table.Name)} ({columns}) ",
                $" ON CONFLICT ({Column(nameof(IncomingPayment.Provider))}, {Column(nameof(IncomingPayment.ProviderTransactionId))}) DO NOTHING " +
                $"RETURNING {Column(nameof(IncomingPayment.ProviderTransactionId))}");
        }
    }

    /// <summary>PostgreSQL: one array parameter per column, the rows zipped by <c>unnest</c>.</summary>
    private static string ArrayRows(DbParameterCollection parameters, IReadOnlyList<IProperty> properties, IncomingPayment[] payments)
    {
        var names = new List<string>(properties.Count);
        for (var c = 0; c < properties.Count; c++)
        {
            var property = properties[c];
            var converter = property.GetRelationalTypeMapping().Converter;
            var providerType = converter?.ProviderClrType ?? property.ClrType;
            // A nullable column of a value type needs an array of nullables (null is a value in it).
            if (providerType.IsValueType && Nullable.GetUnderlyingType(providerType) is null && property.IsNullable)
                providerType = typeof(Nullable<>).MakeGenericType(providerType);
            var values = Array.CreateInstance(providerType, payments.Length);
            var getter = property.GetGetter();
            for (var r = 0; r < payments.Length; r++)
            {
                var value = getter.GetClrValue(payments[r]);
                values.SetValue(value is null || converter is null ? value : converter.ConvertToProvider(value), r);
            }

            var name = $"@c{c}";
            parameters.Add(new NpgsqlParameter(name, values));
            names.Add(name);
        }

        return $"SELECT * FROM unnest({string.Join(", ", names)})";
    }

    /// <summary>SQLite: a multi-row VALUES, each value a parameter made by the column's own type mapping.</summary>
    private static string ValueRows(DbCommand command, IReadOnlyList<IProperty> properties, IncomingPayment[] payments)
    {
        var rows = new List<string>(payments.Length);
        for (var r = 0; r < payments.Length; r++)
        {
            var names = new string[properties.Count];
            for (var c = 0; c < properties.Count; c++)
            {
                var property = properties[c];
                names[c] = $"@r{r}c{c}";
                command.Parameters.Add(property.GetRelationalTypeMapping()
                    .CreateParameter(command, names[c], property.GetGetter().GetClrValue(payments[r]), property.IsNullable));
            }

            rows.Add($"({string.Join(", ", names)})");
        }

        return "VALUES " + string.Join(", ", rows);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
