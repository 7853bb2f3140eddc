using Marketplace.Domain.Common;

namespace Marketplace.Domain.Webhooks;

/// <summary>
/// An account's receiver of outgoing webhooks: where to POST, which event types, and the signing
/// secret (encrypted at rest; the plaintext is shown once, at creation or rotation). After a rotation
/// the previous secret keeps signing for <see cref="SecretOverlap"/>, so the receiver can switch
/// without losing a delivery. A long run of failed deliveries disables the endpoint (<see cref="DisabledReason"/>).
/// </summary>
public sealed class WebhookEndpoint
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;
    /// <summary>The most endpoints one account may register; enforced by the database (one slot each, unique per account).</summary>
    public const int MaxPerAccount = 10;
    public static readonly TimeSpan SecretOverlap = TimeSpan.FromHours(24);

    private WebhookEndpoint() { }

    public WebhookEndpoint(Guid id, Guid ownerId, int slot, string url, IEnumerable<string> eventTypes, string? description,
        string encryptedSecret, DateTimeOffset now)
    {
        if (slot is < 1 or > MaxPerAccount) throw new DomainException("webhook.slot", "No free webhook slot.");
        Id = id;
        OwnerId = ownerId;
        Slot = slot;
        Url = url;
        EventTypes = Join(eventTypes);
        Description = description?.Trim();
        EncryptedSecret = encryptedSecret;
        Enabled = true;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OwnerId { get; private set; }
    /// <summary>1..<see cref="MaxPerAccount"/>, unique per owner: the database, not a count, caps the endpoints of an account.</summary>
    public int Slot { get; private set; }
    public string Url { get; private set; } = "";
    /// <summary>Subscribed event types, comma separated, sorted.</summary>
    public string EventTypes { get; private set; } = "";
    public string? Description { get; private set; }
    public string EncryptedSecret { get; private set; } = "";
    /// <summary>The secret before the last rotation; deliveries are signed with it too until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? EncryptedPreviousSecret { get; private set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }
    public bool Enabled { get; private set; }
    public string? DisabledReason { get; private set; }
    public DateTimeOffset? DisabledAt { get; private set; }
    /// <summary>Failed attempts since the last success (any delivery of this endpoint).</summary>
    public int ConsecutiveFailures { get; private set; }
    /// <summary>The first failure of the current run of failures; null after a success.</summary>
    public DateTimeOffset? FailingSince { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<string> EventTypeList => EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool Subscribes(string eventType) => EventTypeList.Contains(eventType, StringComparer.Ordinal);

    public void Change(string? url, IEnumerable<string>? eventTypes, string? description, bool? enabled, DateTimeOffset now)
    {
        if (url is not null) Url = url;
        if (eventTypes is not null) EventTypes = Join(eventTypes);
        if (description is not null) Description = description.Trim().Length == 0 ? null : description.Trim();
        if (enabled == true && !Enabled)
        {
            // The owner says the receiver is fixed: a fresh start, queued deliveries go out again.
            Enabled = true;
            DisabledReason = null;
            DisabledAt = null;
            ConsecutiveFailures = 0;
            FailingSince = null;
        }
        else if (enabled == false && Enabled)
        {
            Enabled = false;
            DisabledReason = "Disabled by the owner";
            DisabledAt = now;
        }

        UpdatedAt = now;
    }

    /// <summary>A new secret signs from now on; the current one keeps signing for <see cref="SecretOverlap"/>.</summary>
    public void RotateSecret(string encryptedSecret, DateTimeOffset now)
    {
        EncryptedPreviousSecret = EncryptedSecret;
        PreviousSecretExpiresAt = now + SecretOverlap;
        EncryptedSecret = encryptedSecret;
        UpdatedAt = now;
    }

    /// <summary>The encrypted secrets a delivery made at <paramref name="now"/> is signed with: the current one, and the previous while it overlaps.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        EncryptedPreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [EncryptedSecret, previous] : [EncryptedSecret];

    private static string Join(IEnumerable<string> eventTypes) =>
        string.Join(',', eventTypes.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
