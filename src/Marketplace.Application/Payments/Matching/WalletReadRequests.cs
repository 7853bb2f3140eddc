using System.Threading.Channels;

namespace Marketplace.Application.Payments.Matching;

/// <summary>
/// Asks the matcher to read a wallet now instead of at its next pass (a verified push notification,
/// a buyer's claim). Bounded: a flood of requests drops the extras, the timer still reads every wallet.
/// </summary>
public sealed class WalletReadRequests
{
    private readonly Channel<WalletReadRequest> _channel =
        Channel.CreateBounded<WalletReadRequest>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, long> _lastAsked = new();

    public bool Request(WalletReadRequest request) => _channel.Writer.TryWrite(request);

    /// <summary>
    /// Asks for a read unless one was asked for this wallet less than <paramref name="cooldown"/> ago:
    /// requests anyone can trigger (a buyer's claim) cost the wallet's request budget at most once per cooldown.
    /// </summary>
    public bool RequestAtMostEvery(Guid walletId, TimeSpan cooldown, TimeProvider clock)
    {
        var now = clock.GetTimestamp();
        var last = _lastAsked.GetOrAdd(walletId, 0);
        if (last != 0 && clock.GetElapsedTime(last, now) < cooldown) return false;
        if (!_lastAsked.TryUpdate(walletId, now, last)) return false; // another request won the race
        if (_lastAsked.Count > 100_000) _lastAsked.Clear(); // bounded memory; at worst one extra read
        return Request(new WalletReadRequest(walletId, null));
    }

    public ChannelReader<WalletReadRequest> Reader => _channel.Reader;
}

/// <param name="TransactionId">The transfer a notification announced: confirmed by id first, when the rail can look one up.</param>
public sealed record WalletReadRequest(Guid WalletId, string? TransactionId);
