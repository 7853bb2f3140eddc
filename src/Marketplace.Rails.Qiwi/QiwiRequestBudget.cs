using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// One budget per wallet, shared by everything in this process that calls QIWI for it. QIWI
/// allows 100 history requests a minute per wallet and then blocks it for 5 minutes; we spend at
/// most <see cref="QiwiOptions.HistoryRequestsPerMinute"/> (80 by default) and, after any 423,
/// stop calling that wallet until the block is over.
/// Wallets are keyed by a hash of their token: one token belongs to exactly one wallet.
/// </summary>
public sealed class QiwiRequestBudget(TimeProvider clock, IOptions<QiwiOptions> options)
{
    private readonly ConcurrentDictionary<string, WalletBudget> _wallets = new(StringComparer.Ordinal);

    public static string WalletKey(HttpRequestMessage request) =>
        request.Headers.Authorization?.Parameter is { } token ? KeyOf(token) : "anonymous";

    public static string KeyOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];

    /// <summary>Takes one request from the wallet's budget, or says until when to wait.</summary>
    public DateTimeOffset? TryAcquire(string walletKey, bool history)
    {
        var budget = _wallets.GetOrAdd(walletKey, _ => new WalletBudget());
        var now = clock.GetUtcNow();
        lock (budget)
        {
            if (budget.BlockedUntil is { } until && until > now) return until;
            if (!history) return null;
            while (budget.Recent.TryPeek(out var at) && at <= now - TimeSpan.FromMinutes(1)) budget.Recent.Dequeue();
            if (budget.Recent.Count >= options.Value.HistoryRequestsPerMinute) return budget.Recent.Peek() + TimeSpan.FromMinutes(1);
            budget.Recent.Enqueue(now);
            return null;
        }
    }

    public void Block(string walletKey, DateTimeOffset until)
    {
        var budget = _wallets.GetOrAdd(walletKey, _ => new WalletBudget());
        lock (budget)
        {
            if (budget.BlockedUntil is null || budget.BlockedUntil < until) budget.BlockedUntil = until;
        }
    }

    public int HistoryRequestsInLastMinute(string walletKey)
    {
        if (!_wallets.TryGetValue(walletKey, out var budget)) return 0;
        var now = clock.GetUtcNow();
        lock (budget) return budget.Recent.Count(at => at > now - TimeSpan.FromMinutes(1));
    }

    private sealed class WalletBudget
    {
        public Queue<DateTimeOffset> Recent { get; } = new();
        public DateTimeOffset? BlockedUntil { get; set; }
    }
}

/// <summary>
/// Sits inside the retry loop, so every attempt, retries included, is counted. Refuses locally
/// rather than let QIWI block the wallet; records QIWI's own 423 so nobody calls during the block.
/// </summary>
public sealed class QiwiRequestBudgetHandler(QiwiRequestBudget budget, TimeProvider clock) : DelegatingHandler
{
    /// <summary>Marks a refusal made here, without calling QIWI (a synthetic 423 carrying the retry time).</summary>
    public const string LocalRefusalHeader = "X-Qiwi-Local-Retry-After";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = QiwiRequestBudget.WalletKey(request);
        var history = request.RequestUri?.AbsolutePath.Contains("/payment-history/", StringComparison.Ordinal) == true;
        if (budget.TryAcquire(key, history) is { } retryAfter)
        {
            var refusal = new HttpResponseMessage(System.Net.HttpStatusCode.Locked) { RequestMessage = request };
            refusal.Headers.Add(LocalRefusalHeader, retryAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            return refusal;
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.Locked)
            budget.Block(key, clock.GetUtcNow() + QiwiErrors.DocumentedBlock);
        return response;
    }
}
