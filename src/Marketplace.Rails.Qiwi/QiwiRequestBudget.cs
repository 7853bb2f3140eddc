using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Marketplace.Application.Payments.Rails;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Rails.Qiwi;

/// <summary>Wallets are keyed by a hash of their token (one token belongs to exactly one wallet), never by the token.</summary>
public static class QiwiWalletKey
{
    public static string Of(HttpRequestMessage request) =>
        request.Headers.Authorization?.Parameter is { } token ? Of(token) : "anonymous";

    public static string Of(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];

    /// <summary>The wallet's key in the shared budget store, named after the rail so rails never share a budget.</summary>
    public static string BudgetKey(string walletKey) => QiwiRail.Name + ":" + walletKey;
}

/// <summary>
/// This process's memory of QIWI's blocks and of the history requests the shared store granted it, so a
/// wallet that is blocked, or whose budget this process alone has already spent, is refused without asking
/// the shared store. Only a fast path: the shared store (<see cref="ISharedRequestBudget"/>) is authoritative
/// (it counts every instance's requests, these included, so a refusal here is one it would make too), and
/// it is where the other instances learn of a block.
/// </summary>
public sealed class QiwiBlockedWallets(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _granted = new(StringComparer.Ordinal);

    /// <summary>When this process alone has had <paramref name="limit"/> requests granted within the window: when the next may go.</summary>
    public DateTimeOffset? SpentUntil(string walletKey, int limit, TimeSpan window)
    {
        if (!_granted.TryGetValue(walletKey, out var recent)) return null;
        var now = clock.GetUtcNow();
        lock (recent)
        {
            while (recent.TryPeek(out var at) && at <= now - window) recent.Dequeue();
            return recent.Count >= limit ? recent.ElementAt(recent.Count - limit) + window : null;
        }
    }

    /// <summary>A history request the shared store granted.</summary>
    public void Granted(string walletKey, int limit)
    {
        var recent = _granted.GetOrAdd(walletKey, _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            recent.Enqueue(clock.GetUtcNow());
            while (recent.Count > limit) recent.Dequeue();
        }
    }

    public DateTimeOffset? BlockedUntil(string walletKey) =>
        _until.TryGetValue(walletKey, out var until) && until > clock.GetUtcNow() ? until : null;

    public void Block(string walletKey, DateTimeOffset until) =>
        _until.AddOrUpdate(walletKey, until, (_, known) => known > until ? known : until);
}

/// <summary>
/// QIWI allows 100 history requests a minute per wallet and then blocks the wallet for 5 minutes, whoever
/// calls. This handler sits inside the retry loop, so every attempt counts, and asks the budget shared by
/// every instance of the service (<see cref="ISharedRequestBudget"/>) before each call: history requests
/// take one of <see cref="QiwiOptions.HistoryRequestsPerMinute"/> (80) in any sliding minute, other calls
/// only check the wallet is not blocked. A refusal is local (a synthetic 423 QIWI never saw); QIWI's own
/// 423 is recorded in the shared store so no instance calls the wallet until the block is over.
/// The store is scoped (a database context), the handler long-lived: each call opens its own scope.
/// </summary>
public sealed class QiwiRequestBudgetHandler(
    IServiceScopeFactory scopes, QiwiBlockedWallets blocked, TimeProvider clock, IOptions<QiwiOptions> options,
    ILogger<QiwiRequestBudgetHandler> logger)
    : DelegatingHandler
{
    /// <summary>Marks a refusal made here, without calling QIWI (a synthetic 423 carrying the retry time).</summary>
    public const string LocalRefusalHeader = "X-Qiwi-Local-Retry-After";

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var walletKey = QiwiWalletKey.Of(request);
        if (blocked.BlockedUntil(walletKey) is { } knownBlock) return Refusal(request, knownBlock);

        var budgetKey = QiwiWalletKey.BudgetKey(walletKey);
        var history = request.RequestUri?.AbsolutePath.Contains("/payment-history/", StringComparison.Ordinal) == true;
        DateTimeOffset? retryAfter;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var budget = scope.ServiceProvider.GetRequiredService<ISharedRequestBudget>();
            if (history)
            {
                var limit = options.Value.HistoryRequestsPerMinute;
                // Spent by this process alone: the shared store would refuse too, so it is not asked.
                retryAfter = blocked.SpentUntil(walletKey, limit, Window)
                             ?? await budget.TryTakeAsync(budgetKey, limit, Window, cancellationToken);
                if (retryAfter is null) blocked.Granted(walletKey, limit);
            }
            else
            {
                retryAfter = await budget.BlockedUntilAsync(budgetKey, cancellationToken);
                if (retryAfter is { } until) blocked.Block(walletKey, until);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No budget, no call: spending blind could get the wallet blocked for everyone.
            logger.LogWarning(ex, "The shared QIWI request budget could not be read");
            return Failure(request, "The request budget for this wallet could not be read.");
        }

        if (retryAfter is { } wait) return Refusal(request, wait);

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Locked) await RecordBlockAsync(walletKey, budgetKey);
        return response;
    }

    private async Task RecordBlockAsync(string walletKey, string budgetKey)
    {
        var until = clock.GetUtcNow() + QiwiErrors.DocumentedBlock;
        blocked.Block(walletKey, until);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            // Not the caller's token: a caller giving up must not keep the other instances calling a blocked wallet.
            await scope.ServiceProvider.GetRequiredService<ISharedRequestBudget>().BlockAsync(budgetKey, until, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "A QIWI block could not be recorded in the shared request budget; only this instance knows of it");
        }
    }

    private static HttpResponseMessage Refusal(HttpRequestMessage request, DateTimeOffset retryAfter)
    {
        var refusal = new HttpResponseMessage(HttpStatusCode.Locked) { RequestMessage = request };
        refusal.Headers.Add(LocalRefusalHeader, retryAfter.ToString("O", CultureInfo.InvariantCulture));
        return refusal;
    }

    private static HttpResponseMessage Failure(HttpRequestMessage request, string reason)
    {
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request, ReasonPhrase = reason };
        response.Headers.Add(QiwiErrorMappingHandler.FailureHeader, Uri.EscapeDataString(reason));
        return response;
    }
}

/// <summary>
/// A request budget shared only inside this process: what <see cref="QiwiRailServiceCollectionExtensions.AddQiwiRail"/>
/// falls back to in a host without a shared store (a tool, a test harness). The marketplace service
/// registers its database-backed budget instead, shared by every instance. Sliding window, exact.
/// </summary>
public sealed class InProcessRequestBudget(TimeProvider clock) : ISharedRequestBudget
{
    private readonly ConcurrentDictionary<string, Budget> _budgets = new(StringComparer.Ordinal);

    public Task<DateTimeOffset?> TryTakeAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var budget = _budgets.GetOrAdd(key, _ => new Budget());
        var now = clock.GetUtcNow();
        lock (budget)
        {
            if (budget.BlockedUntil is { } until && until > now) return Task.FromResult<DateTimeOffset?>(until);
            while (budget.Recent.TryPeek(out var at) && at <= now - window) budget.Recent.Dequeue();
            while (budget.Recent.Count >= limit)
            {
                if (budget.Recent.Count == limit) return Task.FromResult<DateTimeOffset?>(budget.Recent.Peek() + window);
                budget.Recent.Dequeue(); // the limit was lowered: only the newest ones matter
            }

            budget.Recent.Enqueue(now);
            return Task.FromResult<DateTimeOffset?>(null);
        }
    }

    public Task BlockAsync(string key, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var budget = _budgets.GetOrAdd(key, _ => new Budget());
        lock (budget)
        {
            if (budget.BlockedUntil is null || budget.BlockedUntil < until) budget.BlockedUntil = until;
        }

        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> BlockedUntilAsync(string key, CancellationToken cancellationToken)
    {
        if (!_budgets.TryGetValue(key, out var budget)) return Task.FromResult<DateTimeOffset?>(null);
        lock (budget)
        {
            return Task.FromResult(budget.BlockedUntil is { } until && until > clock.GetUtcNow() ? until : (DateTimeOffset?)null);
        }
    }

    private sealed class Budget
    {
        public Queue<DateTimeOffset> Recent { get; } = new();
        public DateTimeOffset? BlockedUntil { get; set; }
    }
}
