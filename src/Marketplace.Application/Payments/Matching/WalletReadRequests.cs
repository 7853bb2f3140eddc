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

    public bool Request(WalletReadRequest request) => _channel.Writer.TryWrite(request);

    public ChannelReader<WalletReadRequest> Reader => _channel.Reader;
}

/// <param name="TransactionId">The transfer a notification announced: confirmed by id first, when the rail can look one up.</param>
public sealed record WalletReadRequest(Guid WalletId, string? TransactionId);
