using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// Writes what the change tracker holds with one statement per entity type and changed column set instead
/// of one per row (PostgreSQL only): the added rows of a type by one <c>INSERT ... SELECT FROM unnest(...)</c>,
/// the modified rows of a type that changed the same columns by one <c>UPDATE ... FROM unnest(...)</c> whose
/// <c>WHERE</c> also compares every concurrency token with the value read, all of them sent as one batch.
/// The rows, columns, conversions and tokens are the ones <c>SaveChanges</c> would have written (they come from
/// the EF Core model); an update that finds fewer rows than it changed is a <see cref="DbUpdateConcurrencyException"/>
/// and a failed statement a <see cref="DbUpdateException"/>, as with <c>SaveChanges</c>.
/// Returns null, having written nothing, when the tracker holds something this does not write (a deletion,
/// an owned or split entity, a store-generated value): the caller then saves the ordinary way.
/// </summary>
internal static class SetBasedSave
{
    /// <param name="payments">Incoming payments to insert first, skipping those already recorded (<see cref="IncomingPaymentInserts"/>).</param>
    /// <param name="sales">Item sales queued by the unit of work, written after the tracked changes in the same batch.</param>
    /// <returns>The entries written and the transaction ids of the payments inserted; null when nothing was written.</returns>
    public static async Task<(int Written, IReadOnlySet<string> Inserted)?> TrySaveAsync(
        ApplicationDbContext db, CatalogChanges? catalog, IReadOnlyList<Domain.Payments.IncomingPayment> payments, IReadOnlyList<ItemSale> sales,
        CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql()) return null;
        var entries = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        if (entries.Count == 0 && sales.Count == 0 && payments.Count == 0) return (0, inserted);
        if (entries.Any(e => e.State == EntityState.Deleted || !Writable(e.Metadata))) return null;

        var inserts = entries.Where(e => e.State == EntityState.Added).GroupBy(e => e.Metadata).ToList();
        var updates = entries.Where(e => e.State == EntityState.Modified)
            .Select(e => (Entry: e, Columns: e.Properties.Where(p => p.IsModified).Select(p => p.Metadata).ToList()))
            .Where(e => e.Columns.Count > 0)
            .GroupBy(e => (e.Entry.Metadata, Key: string.Join(",", e.Columns.Select(c => c.Name))))
            .ToList();
        if (updates.Any(g => g.First().Columns.Any(c => c.IsPrimaryKey()))) return null;

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
            var expected = new List<int>();
            if (payments.Count > 0)
            {
                // First: an order's update may name the payment that paid it.
                batch.BatchCommands.Add(IncomingPaymentInserts.BatchCommand(db, payments));
                expected.Add(-1);
            }

            // Principals before their dependents (a webhook event before its deliveries); updates after every insert.
            foreach (var group in InDependencyOrder(inserts))
            {
                batch.BatchCommands.Add(Insert(group.Key, [.. group]));
                expected.Add(-1);
            }

            foreach (var group in updates)
            {
                var rows = group.Select(g => g.Entry).ToList();
                batch.BatchCommands.Add(Update(group.Key.Metadata, group.First().Columns, rows));
                expected.Add(rows.Count);
            }

            if (sales.Count > 0) batch.BatchCommands.Add(ItemSales.Statement(db.Model, sales));
            if (batch.BatchCommands.Count > 0)
            {
                long? mismatched = null;
                try
                {
                    await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
                    do
                    {
                        // Rows come from the payments' insert (transaction ids) and the item sales (one count).
                        while (await reader.ReadAsync(cancellationToken))
                        {
                            if (reader.GetFieldType(0) == typeof(string)) inserted.Add(reader.GetString(0));
                            else mismatched = reader.GetInt64(0);
                        }
                    } while (await reader.NextResultAsync(cancellationToken));
                }
                catch (PostgresException ex)
                {
                    throw new DbUpdateException("An error occurred while saving the entity changes set-based. See the inner exception for details.", ex, entries);
                }

                if (mismatched is { } count) ItemSales.Check(count);
                for (var i = 0; i < expected.Count; i++)
                {
                    if (expected[i] >= 0 && batch.BatchCommands[i].RecordsAffected != expected[i])
                        throw new DbUpdateConcurrencyException(
                            $"A set-based update was expected to change {expected[i]} row(s) but changed {batch.BatchCommands[i].RecordsAffected}: " +
                            "rows were changed or deleted since they were read.");
                }

                // Raw statements are not seen by the catalog's command interceptor: tell it of catalog rows written.
                if (catalog is not null && batch.BatchCommands.Any<NpgsqlBatchCommand>(c => CatalogChanges.Touches(c.CommandText)))
                    catalog.Written(db.Database.CurrentTransaction?.GetDbTransaction());
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        // As SaveChanges does: what was written becomes the original values (setting an entry's state to Unchanged
        // instead would put the original values back into the objects).
        db.ChangeTracker.AcceptAllChanges();
        return (entries.Count, inserted);
    }

    /// <summary>One table of its own, plain columns, a single-column key, no values the database generates.</summary>
    private static bool Writable(IEntityType type) =>
        Shapes.GetValue(type, static t => new Shape(
            t.GetTableName() is not null && t.GetViewName() is null && t.BaseType is null && !t.GetDirectlyDerivedTypes().Any()
            && !t.IsOwned() && !t.GetNavigations().Any(n => n.TargetEntityType.IsOwned()) && !t.GetComplexProperties().Any()
            && t.FindPrimaryKey() is { Properties.Count: 1 }
            && t.GetProperties().All(p => p.ValueGenerated == ValueGenerated.Never && p.GetColumnName(Table(t)) is not null)
            && !t.GetTableMappings().Skip(1).Any()
            && StoreObjectIdentifier.Table(t.GetTableName()!, t.GetSchema()) is var table
            && t.Model.GetEntityTypes().Count(o => o.GetTableName() == table.Name && o.GetSchema() == table.Schema) == 1)).Writable;

    private sealed record Shape(bool Writable);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IEntityType, Shape> Shapes = new();

    private static StoreObjectIdentifier Table(IEntityType type) => StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());

    private static NpgsqlBatchCommand Insert(IEntityType type, IReadOnlyList<EntityEntry> rows)
    {
        var table = Table(type);
        var properties = type.GetProperties().ToList();
        var command = new NpgsqlBatchCommand();
        var sql = new StringBuilder("INSERT INTO ").Append(QualifiedName(table)).Append(" (")
            .AppendJoin(", ", properties.Select(p => Quote(p.GetColumnName(table)!)))
            .Append(") SELECT ");
        for (var c = 0; c < properties.Count; c++)
        {
            if (c > 0) sql.Append(", ");
            sql.Append("v.c").Append(c).Append("::").Append(properties[c].GetColumnType());
            command.Parameters.Add(new NpgsqlParameter { Value = Column(properties[c], rows, original: false) });
        }

        sql.Append(" FROM unnest(").AppendJoin(", ", Enumerable.Range(1, properties.Count).Select(i => "$" + i))
            .Append(") AS v(").AppendJoin(", ", Enumerable.Range(0, properties.Count).Select(i => "c" + i)).Append(')');
        command.CommandText = sql.ToString();
        return command;
    }

    private static NpgsqlBatchCommand Update(IEntityType type, IReadOnlyList<IProperty> columns, IReadOnlyList<EntityEntry> rows)
    {
        var table = Table(type);
        var key = type.FindPrimaryKey()!.Properties[0];
        var tokens = type.GetProperties().Where(p => p.IsConcurrencyToken).ToList();
        var command = new NpgsqlBatchCommand();
        var names = new List<string>();

        string Parameter(IProperty property, bool original)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Column(property, rows, original) });
            var name = "c" + names.Count;
            names.Add(name);
            return name;
        }

        var keyName = Parameter(key, original: true);
        var sql = new StringBuilder("UPDATE ").Append(QualifiedName(table)).Append(" AS t SET ");
        for (var c = 0; c < columns.Count; c++)
        {
            if (c > 0) sql.Append(", ");
            sql.Append(Quote(columns[c].GetColumnName(table)!)).Append(" = v.").Append(Parameter(columns[c], original: false))
                .Append("::").Append(columns[c].GetColumnType());
        }

        sql.Append(" FROM unnest(").AppendJoin(", ", Enumerable.Range(1, columns.Count + 1 + tokens.Count).Select(i => "$" + i))
            .Append(") AS v(");
        var where = new StringBuilder(" WHERE t.").Append(Quote(key.GetColumnName(table)!)).Append(" = v.").Append(keyName)
            .Append("::").Append(key.GetColumnType());
        foreach (var token in tokens)
        {
            // The value read, as EF Core's own update compares it.
            var name = Parameter(token, original: true);
            where.Append(" AND t.").Append(Quote(token.GetColumnName(table)!)).Append(" IS NOT DISTINCT FROM v.").Append(name).Append("::").Append(token.GetColumnType());
        }

        sql.AppendJoin(", ", names).Append(')').Append(where);
        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>One column of the rows as an array of the provider's type (value converters applied), nulls kept.</summary>
    private static Array Column(IProperty property, IReadOnlyList<EntityEntry> rows, bool original)
    {
        var converter = property.GetTypeMapping().Converter;
        var providerType = converter?.ProviderClrType ?? property.ClrType;
        if (providerType.IsValueType && Nullable.GetUnderlyingType(providerType) is null && property.IsNullable)
            providerType = typeof(Nullable<>).MakeGenericType(providerType);
        var values = Array.CreateInstance(providerType, rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var value = original ? rows[r].OriginalValues[property] : rows[r].CurrentValues[property];
            values.SetValue(value is null || converter is null ? value : converter.ConvertToProvider(value), r);
        }

        return values;
    }

    /// <summary>Inserted groups ordered so that a principal type's rows are written before its dependents'.</summary>
    private static IEnumerable<IGrouping<IEntityType, EntityEntry>> InDependencyOrder(IReadOnlyList<IGrouping<IEntityType, EntityEntry>> groups)
    {
        var pending = groups.ToList();
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(g => !g.Key.GetForeignKeys()
                           .Any(fk => fk.PrincipalEntityType != g.Key && pending.Any(o => o.Key == fk.PrincipalEntityType)))
                       ?? pending[0]; // a cycle between added types: EF Core itself would need two passes; the database decides
            pending.Remove(next);
            yield return next;
        }
    }

    private static string QualifiedName(StoreObjectIdentifier table) =>
        table.Schema is null ? Quote(table.Name) : Quote(table.Schema) + "." + Quote(table.Name);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
