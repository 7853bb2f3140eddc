namespace Marketplace.Application.Webhooks;

/// <summary>
/// Whether the service may call a receiver URL: in Live, only hosts whose every address is public
/// (no loopback, private, link-local or metadata addresses: SSRF). Checked at registration here and
/// again at connect time by the relay's HTTP handler, against the address it actually connects to.
/// </summary>
public interface IWebhookTargetGuard
{
    /// <summary>Null when allowed; otherwise why not, in words for the caller.</summary>
    Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken);
}
