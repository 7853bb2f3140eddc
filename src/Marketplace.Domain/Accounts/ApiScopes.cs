namespace Marketplace.Domain.Accounts;

/// <summary>
/// What an API key may do. Each endpoint that an API key may call names the one scope it needs
/// (docs/api.md has the table); an endpoint that names none (account, password, session and API-key
/// management) takes only a login token. A login token holds every scope.
/// </summary>
public static class ApiScopes
{
    public const string ListingsRead = "listings:read";
    public const string ListingsWrite = "listings:write";
    public const string OrdersRead = "orders:read";
    public const string OrdersWrite = "orders:write";
    public const string DisputesRead = "disputes:read";
    public const string DisputesWrite = "disputes:write";
    public const string WalletsRead = "wallets:read";
    public const string WalletsWrite = "wallets:write";
    public const string WebhooksRead = "webhooks:read";
    public const string WebhooksWrite = "webhooks:write";

    public static readonly IReadOnlyList<string> All =
    [
        ListingsRead, ListingsWrite, OrdersRead, OrdersWrite, DisputesRead, DisputesWrite,
        WalletsRead, WalletsWrite, WebhooksRead, WebhooksWrite,
    ];

    public static bool IsKnown(string? scope) => scope is not null && All.Contains(scope, StringComparer.Ordinal);
}
