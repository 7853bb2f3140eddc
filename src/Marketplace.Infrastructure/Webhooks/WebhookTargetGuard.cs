using Marketplace.Application.Common.Models;
using Marketplace.Application.Webhooks;
using Microsoft.Extensions.Options;

namespace Marketplace.Infrastructure.Webhooks;

/// <summary>Live: public hosts only. Sandbox: anything (receivers on the developer's own machine), unless configured otherwise.</summary>
public sealed class WebhookTargetGuard(OperatingMode mode, IOptions<WebhookOptions> options) : IWebhookTargetGuard
{
    public bool AllowsPrivateTargets => AllowsPrivate(mode, options.Value);

    public static bool AllowsPrivate(OperatingMode mode, WebhookOptions options) => mode.IsSandbox && options.AllowPrivateTargets != false;

    /// <summary>Where private targets are allowed every host is (no DNS look-up: a sandbox may run offline).</summary>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken) =>
        !AllowsPrivateTargets && await PublicAddressPolicy.ResolveAllowedAsync(url.IdnHost, allowPrivate: false, cancellationToken) is null
            ? "The URL's host does not resolve to a public Internet address (loopback, private, link-local and similar addresses are refused)."
            : null;
}
