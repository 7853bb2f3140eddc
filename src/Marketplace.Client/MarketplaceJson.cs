using System.Text.Json;

namespace Marketplace.Client;

/// <summary>The service's JSON: camelCase names, enums as strings, money as exact decimals.</summary>
public static class MarketplaceJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
