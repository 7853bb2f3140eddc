using System.Text.Json;
using Marketplace.Domain.Wallets;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Marketplace.Infrastructure.Persistence.Configurations;

/// <summary>Stores a wallet's <see cref="HistoryCursor"/> as JSON text; changes are detected by comparing the JSON.</summary>
internal static class HistoryCursorJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(HistoryCursor cursor) => JsonSerializer.Serialize(cursor, Options);

    public static HistoryCursor Read(string json) =>
        string.IsNullOrWhiteSpace(json) ? new HistoryCursor() : JsonSerializer.Deserialize<HistoryCursor>(json, Options) ?? new HistoryCursor();

    public static readonly ValueConverter<HistoryCursor, string> Converter = new(c => Write(c), json => Read(json));

    public static readonly ValueComparer<HistoryCursor> Comparer = new(
        (a, b) => Write(a!) == Write(b!),
        c => Write(c).GetHashCode(StringComparison.Ordinal),
        c => Read(Write(c)));
}
