using System.Globalization;
using System.Text.Json;
using Marketplace.Application.Payments.Rails;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// QIWI's payment-notifier (contract §7): one hook per wallet, for incoming transfers (<c>txnType=0</c>),
/// each notification signed with the hook's key (§7.2). Every call here needs a token with permission
/// group 4 ("payments without SMS"); without it QIWI answers 403, mapped to MissingPermission.
/// </summary>
public sealed class QiwiPushNotifications(IQiwiWalletApi api) : IPushNotificationSource
{
    /// <summary>The web hook type; QIWI had no other.</summary>
    private const int WebHook = 1;

    /// <summary>Incoming transfers only.</summary>
    private const int IncomingOnly = 0;

    /// <summary>A notification is one payment, well under a kilobyte; anything far larger is not one.</summary>
    public const int MaxNotificationBytes = 64 * 1024;

    public PaymentMethodId Method => QiwiRail.Method;

    /// <summary>At most 100 characters before URL-encoding (§7; QIWI answers 500 beyond).</summary>
    public int MaxCallbackLength => 100;

    public async Task<PushSubscription> SubscribeAsync(
        WalletCredentials credentials, Uri callback, bool replaceExisting, CancellationToken cancellationToken)
    {
        var url = callback.IsAbsoluteUri && callback.Scheme is "http" or "https"
            ? callback.AbsoluteUri
            : throw new PaymentRailException(PaymentRailErrorKind.Rejected, "A notification address must be an absolute http or https URL.");
        if (url.Length > MaxCallbackLength)
            throw new PaymentRailException(PaymentRailErrorKind.Rejected,
                $"QIWI accepts notification addresses of at most {MaxCallbackLength} characters; this one has {url.Length}.");

        var token = credentials.Token;
        if (await QiwiCalls.FindAsync(ct => api.GetActiveWebhookAsync(token, ct), cancellationToken) is { } existing)
        {
            var ours = string.Equals(existing.HookParameters.Url, url, StringComparison.Ordinal);
            if (!ours && !replaceExisting)
                throw new PaymentRailException(PaymentRailErrorKind.HookExists,
                    "The wallet already sends its payment notifications to another address; it has one hook only, and it is left as it is.");
            if (ours && !replaceExisting && existing.TxnType is "IN" or "BOTH")
                return await WithKeyAsync(token, existing.HookId, cancellationToken); // already subscribed: same hook, same key

            await DeleteAsync(token, existing.HookId, cancellationToken);
        }

        QiwiHook hook;
        try
        {
            hook = await QiwiCalls.CallAsync(ct => api.RegisterWebhookAsync(token, WebHook, url, IncomingOnly, ct), cancellationToken);
        }
        catch (PaymentRailException ex) when (ex.Kind == PaymentRailErrorKind.Rejected)
        {
            // 422 also covers "a hook already exists": someone registered one between our read and our write.
            if (await QiwiCalls.FindAsync(ct => api.GetActiveWebhookAsync(token, ct), cancellationToken) is not null)
                throw new PaymentRailException(PaymentRailErrorKind.HookExists,
                    "The wallet got another notification hook while ours was being registered.", ex);
            throw;
        }

        return await WithKeyAsync(token, hook.HookId, cancellationToken);
    }

    public Task UnsubscribeAsync(WalletCredentials credentials, string subscriptionId, CancellationToken cancellationToken) =>
        DeleteAsync(credentials.Token, subscriptionId, cancellationToken);

    /// <summary>
    /// A notification (§7.1) whose hash verifies under <paramref name="signingKey"/> over at least the fields
    /// QIWI always signs (<see cref="QiwiWebhookSignature.RequiredSignFields"/>, the transaction id among them).
    /// A signed test notification (<c>test: true</c>) verifies as a test, without a transaction id: its
    /// sample payment is in no history and must never be looked up. QIWI's own tests were unsigned: null.
    /// </summary>
    public PushNotification? Verify(ReadOnlySpan<byte> body, string signingKey)
    {
        if (body.IsEmpty || body.Length > MaxNotificationBytes) return null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (!QiwiWebhookSignature.HasAuthenticHash(root, signingKey)) return null;

            var messageId = root.TryGetProperty("messageId", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null;
            if (root.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.True)
                return new PushNotification(null, messageId, IsTest: true);

            // txnId is a string in notifications (§7.1); a well-formed one is a positive number, as in history.
            var payment = root.GetProperty("payment");
            return payment.TryGetProperty("txnId", out var txn) && txn.ValueKind == JsonValueKind.String
                   && long.TryParse(txn.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var txnId) && txnId > 0
                ? new PushNotification(txnId.ToString(CultureInfo.InvariantCulture), messageId, IsTest: false)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<PushSubscription> WithKeyAsync(string token, string hookId, CancellationToken cancellationToken)
    {
        var key = await QiwiCalls.CallAsync(ct => api.GetWebhookKeyAsync(token, hookId, ct), cancellationToken);
        return new PushSubscription(hookId, key.Key);
    }

    private async Task DeleteAsync(string token, string hookId, CancellationToken cancellationToken)
    {
        // A hook that is already gone is what we wanted.
        await QiwiCalls.FindAsync(ct => api.DeleteWebhookAsync(token, hookId, ct), cancellationToken);
    }
}
