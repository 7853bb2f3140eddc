namespace Marketplace.Application.Payments.Rails;

/// <summary>
/// Push: the rail calls us when money arrives. A notification only says "look now": the matcher
/// confirms every transfer through history before it decides, because a rail may not sign
/// everything that matters (QIWI signs neither the comment nor the sender).
/// </summary>
public interface IPushNotificationSource : IRailCapability
{
    /// <summary>Longest callback URL the rail accepts (QIWI: 100 characters).</summary>
    int MaxCallbackLength { get; }

    /// <summary>
    /// Registers <paramref name="callback"/> for incoming transfers and returns the hook and its signing key.
    /// Never replaces a hook the wallet already has unless <paramref name="replaceExisting"/>:
    /// throws <see cref="PaymentRailException"/> with <see cref="PaymentRailErrorKind.HookExists"/> instead.
    /// </summary>
    Task<PushSubscription> SubscribeAsync(WalletCredentials credentials, Uri callback, bool replaceExisting, CancellationToken cancellationToken);

    /// <summary>Removes our hook; a hook that is already gone is not an error.</summary>
    Task UnsubscribeAsync(WalletCredentials credentials, string subscriptionId, CancellationToken cancellationToken);

    /// <summary>Parses a notification body and checks its signature with the hook's key; null when forged, tampered or unreadable.</summary>
    PushNotification? Verify(ReadOnlySpan<byte> body, string signingKey);
}

/// <param name="SigningKey">Secret: stored encrypted, never logged or returned.</param>
public sealed record PushSubscription(string SubscriptionId, string SigningKey)
{
    public override string ToString() => $"PushSubscription {{ SubscriptionId = {SubscriptionId} }}";
}

/// <param name="TransactionId">The transfer the notification announces; null for a test notification.</param>
/// <param name="MessageId">The rail's id of this notification, for spotting replays.</param>
public sealed record PushNotification(string? TransactionId, string? MessageId, bool IsTest);
