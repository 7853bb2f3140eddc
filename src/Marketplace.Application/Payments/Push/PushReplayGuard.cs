using System.Collections.Concurrent;

namespace Marketplace.Application.Payments.Push;

/// <summary>
/// Remembers recently seen notification ids per wallet, so a replayed notification does not even
/// cost a wallet read. Only an optimisation: a replay that gets through changes nothing, because the
/// matcher decides from the wallet's history, never from the notification.
/// </summary>
public sealed class PushReplayGuard(TimeProvider clock)
{
    private const int MaxRemembered = 10_000;
    private static readonly TimeSpan Remember = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True when this id was seen for this wallet within the last hour (then it is a replay).</summary>
    public bool SeenBefore(Guid walletId, string id)
    {
        var now = clock.GetUtcNow();
        if (_seen.Count >= MaxRemembered)
            foreach (var (old, at) in _seen)
                if (at < now - Remember) _seen.TryRemove(old, out _);
        if (_seen.Count >= MaxRemembered) _seen.Clear(); // a flood of distinct ids: forget rather than grow
        var key = $"{walletId:N}:{id}";
        if (_seen.TryGetValue(key, out var seenAt) && seenAt >= now - Remember) return true;
        _seen[key] = now;
        return false;
    }
}
