namespace Marketplace.Application.Payments.Rails;

/// <summary>
/// A request budget per wallet shared by every instance of the service (a rail such as QIWI blocks
/// a wallet that calls too often, whoever calls). Keys are opaque (a hash of the token), never the token.
/// </summary>
public interface ISharedRequestBudget
{
    /// <summary>Takes one request from <paramref name="key"/>'s budget of <paramref name="limit"/> per <paramref name="window"/>; null when granted, else when to try again.</summary>
    Task<DateTimeOffset?> TryTakeAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>The rail blocked the wallet: nobody calls for it until <paramref name="until"/>.</summary>
    Task BlockAsync(string key, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Until when the wallet is blocked, if it is.</summary>
    Task<DateTimeOffset?> BlockedUntilAsync(string key, CancellationToken cancellationToken);
}
