using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marketplace.QiwiEmulator.Wire;

namespace Marketplace.QiwiEmulator.State;

/// <summary>Payment notifications (contract §7): one hook per wallet, signed payloads, QIWI's retry schedule.</summary>
public sealed partial class EmulatorState
{
    public const int MaxHookUrlLength = 100;
    private const string SignFields = "sum.currency,sum.amount,type,account,txnId";

    private const string BadHost = "Bad domain, subnet or host in the hook URL";

    /// <summary>
    /// Registers the wallet's hook. The URL's host must be a public Internet host (every address it
    /// resolves to; <see cref="WebhookTargetPolicy"/>) unless AllowLoopbackWebhooks is set. The DNS
    /// lookup happens outside the lock; delivery checks again, so a later change of answer is caught there.
    /// </summary>
    public async Task<HookResult> RegisterHookAsync(EmulatorWallet wallet, string? url, int hookType, int txnType, CancellationToken cancellationToken = default)
    {
        if (url is { Length: > MaxHookUrlLength }) return HookResult.Failed(500, "URL is too long");
        if (hookType != 1 || txnType is < 0 or > 2) return HookResult.Failed(422, "Bad hook type or transaction type");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !await WebhookTargetPolicy.IsAllowedAsync(uri, _resolver, _options.AllowLoopbackWebhooks, cancellationToken))
            return HookResult.Failed(422, BadHost);

        lock (_gate)
        {
            if (wallet.Hook is not null) return HookResult.Failed(422, "A hook already exists");
            wallet.Hook = new EmulatorHook
            {
                HookId = Guid.NewGuid().ToString(), Url = url!, TxnType = txnType,
                Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            };
            Save();
            return HookResult.Ok(wallet.Hook);
        }
    }

    public EmulatorHook? ActiveHook(EmulatorWallet wallet)
    {
        lock (_gate) return wallet.Hook;
    }

    public bool DeleteHook(EmulatorWallet wallet, string hookId)
    {
        lock (_gate)
        {
            if (wallet.Hook?.HookId != hookId) return false;
            wallet.Hook = null;
            Save();
            return true;
        }
    }

    public string? RotateHookKey(EmulatorWallet wallet, string hookId)
    {
        lock (_gate)
        {
            if (wallet.Hook?.HookId != hookId) return null;
            wallet.Hook.Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            Save();
            return wallet.Hook.Key;
        }
    }

    /// <summary>
    /// Queues a test notification: test=true, with a complete sample payment (an incoming 1 RUB to the
    /// wallet, never in its history) signed with the hook key exactly like a real one, so a client that
    /// checks every notification's signature can check this one too.
    /// </summary>
    public TestNotificationResult SendTestNotification(EmulatorWallet wallet)
    {
        lock (_gate)
        {
            if (wallet.Hook is not { } hook) return TestNotificationResult.NoHook;
            if (!HasDeliveryRoom(wallet)) return TestNotificationResult.TooManyPending;
            var sample = new EmulatorTransaction
            {
                TxnId = TestNotificationTxnId, PersonId = wallet.PersonId, Date = TransactionNow, Type = "IN", Status = "SUCCESS",
                Account = wallet.Phone, Amount = 1m, Currency = 643, Comment = "test", ProviderId = 7, SourceId = 99,
            };
            Enqueue(wallet, hook, sample, test: true);
            return TestNotificationResult.Queued;
        }
    }

    /// <summary>The sample payment's transaction id in test notifications (the contract's example id); no history row has it.</summary>
    public const long TestNotificationTxnId = 13353941550;

    /// <summary>Notifications not queued because the pending-delivery limits were reached.</summary>
    public long DroppedNotifications
    {
        get { lock (_gate) return _droppedNotifications; }
    }

    private long _droppedNotifications;

    private bool HasDeliveryRoom(EmulatorWallet wallet) =>
        _deliveries.Count < Limits.MaxPendingDeliveries
        && _deliveries.Count(d => d.PersonId == wallet.PersonId) < Limits.MaxPendingDeliveriesPerWallet;

    public IReadOnlyList<WebhookDelivery> TakeDueDeliveries()
    {
        lock (_gate)
        {
            var now = Now;
            var due = _deliveries.Where(d => d.DueAt <= now).ToList();
            foreach (var delivery in due) _deliveries.Remove(delivery);
            return due;
        }
    }

    /// <summary>After a failed attempt: again after 10 minutes, then after 1 hour, then never (QIWI's documented schedule).</summary>
    public void DeliveryFailed(WebhookDelivery delivery)
    {
        lock (_gate)
        {
            if (delivery.Attempts >= _options.WebhookRetryDelays.Count + 1) return;
            delivery.DueAt = Now + _options.WebhookRetryDelays[delivery.Attempts - 1];
            _deliveries.Add(delivery);
        }
    }

    public int PendingDeliveries
    {
        get { lock (_gate) return _deliveries.Count; }
    }

    private void Notify(EmulatorWallet wallet, EmulatorTransaction transaction)
    {
        if (wallet.Hook is not { } hook) return;
        if ((hook.TxnType == 0 && transaction.Type != "IN") || (hook.TxnType == 1 && transaction.Type != "OUT")) return;
        if (!HasDeliveryRoom(wallet))
        {
            // The payment stands; only its notification is given up, as QIWI gave up after its last retry.
            // Clients must read the history anyway (the marketplace's matcher does).
            _droppedNotifications++;
            _logger.LogWarning("Webhook notification for wallet {PersonId}, transaction {TxnId} dropped: too many deliveries pending",
                wallet.PersonId, transaction.TxnId);
            return;
        }

        Enqueue(wallet, hook, transaction, test: false);
    }

    /// <summary>Queues one notification for delivery to the hook; the caller holds the lock.</summary>
    private void Enqueue(EmulatorWallet wallet, EmulatorHook hook, EmulatorTransaction transaction, bool test)
    {
        var messageId = Guid.NewGuid();
        var body = NotificationBody(hook, messageId, transaction, test);
        _deliveries.Add(new WebhookDelivery { MessageId = messageId, PersonId = wallet.PersonId, Url = hook.Url, Body = body, DueAt = Now });
    }

    /// <summary>
    /// The notification body (contract §7.1) and its hash (§7.2): the values named by signFields joined
    /// by '|', HMAC-SHA256 with the base64-decoded hook key, lowercase hex. Real and test notifications
    /// are both built here.
    /// </summary>
    internal static string NotificationBody(EmulatorHook hook, Guid messageId, EmulatorTransaction transaction, bool test)
    {
        // Amounts are written in shortest form and signed as written (contract §7.2 recommendation).
        var amount = Shortest(transaction.Amount);
        var txnId = transaction.TxnId.ToString(CultureInfo.InvariantCulture);
        var joined = string.Join('|', transaction.Currency.ToString(CultureInfo.InvariantCulture),
            amount.ToString(CultureInfo.InvariantCulture), transaction.Type, transaction.Account, txnId);
        var hash = Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(hook.Key), Encoding.UTF8.GetBytes(joined)));
        return JsonSerializer.Serialize(new
        {
            messageId = messageId.ToString(),
            hookId = hook.HookId,
            payment = new
            {
                txnId,
                date = QiwiWire.Date(transaction.Date, QiwiWire.Moscow),
                type = transaction.Type,
                status = transaction.Status,
                errorCode = transaction.ErrorCode.ToString(CultureInfo.InvariantCulture),
                personId = transaction.PersonId,
                account = transaction.Account,
                comment = transaction.Comment ?? "",
                provider = transaction.ProviderId,
                sum = new { amount, currency = transaction.Currency },
                commission = transaction.Status == "SUCCESS" ? new { amount = Shortest(transaction.Commission), currency = transaction.Currency } : null,
                total = new { amount = Shortest(transaction.Amount + transaction.Commission), currency = transaction.Currency },
                signFields = SignFields,
            },
            hash,
            version = "1.0.0",
            test,
        }, QiwiWire.Json);
    }

    private static decimal Shortest(decimal value) =>
        decimal.Parse(value.ToString("0.############", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

public enum TestNotificationResult
{
    Queued,
    NoHook,
    TooManyPending,
}

public sealed record HookResult(EmulatorHook? Hook, int Status, string? Error)
{
    public static HookResult Ok(EmulatorHook hook) => new(hook, 200, null);

    public static HookResult Failed(int status, string error) => new(null, status, error);
}
