using Marketplace.Application.Payments.Rails;

namespace Marketplace.Application.Payments.Push;

/// <summary>Push notifications (section <c>Push</c>): where rails can reach this service.</summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>
    /// The service's public address as the rail sees it (https://market.example.com). Without it, push
    /// cannot be offered and every wallet is polled. QIWI accepts callback URLs of at most 100
    /// characters, so keep it short.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>The callback for one wallet; the API maps <c>POST /api/v1/hooks/{method}/{walletId}</c> to it.</summary>
    public Uri? CallbackFor(PaymentMethodId method, Guid walletId) =>
        PublicBaseUrl is null ? null : new Uri(PublicBaseUrl, $"/api/v1/hooks/{method.Value}/{walletId:N}");
}
