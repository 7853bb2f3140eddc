using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// Resolves where QIWI lives. With no BaseUrl configured, it is this very process: the
/// embedded emulator, reached over loopback on the address Kestrel actually bound (known only
/// once the server has started, so it is read lazily).
/// </summary>
public sealed class QiwiEndpoint(IOptions<QiwiOptions> options, IServiceProvider services)
{
    private Uri? _resolved;

    public Uri ApiBase => _resolved ??= Resolve();

    public Uri PaymentFormBase =>
        string.IsNullOrWhiteSpace(options.Value.PaymentFormBaseUrl) ? ApiBase : WithSlash(options.Value.PaymentFormBaseUrl);

    public Uri SiteBase =>
        string.IsNullOrWhiteSpace(options.Value.SiteBaseUrl) ? ApiBase : WithSlash(options.Value.SiteBaseUrl);

    private Uri Resolve()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.BaseUrl)) return WithSlash(options.Value.BaseUrl);

        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                      ?? addresses?.FirstOrDefault()
                      ?? throw new InvalidOperationException(
                          "Qiwi:BaseUrl is not set and the server has no bound address yet to reach the embedded emulator.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "localhost";
        uri.Path = options.Value.EmbeddedEmulatorPath.TrimEnd('/') + "/";
        return uri.Uri;
    }

    private static Uri WithSlash(string url) => new(url.EndsWith('/') ? url : url + "/");
}

/// <summary>
/// Points every request of the typed client at <see cref="QiwiEndpoint.ApiBase"/>. The client is
/// built with a placeholder base address because the real one may not be known at start-up.
/// </summary>
public sealed class QiwiEndpointHandler(QiwiEndpoint endpoint) : DelegatingHandler
{
    public static readonly Uri Placeholder = new("http://qiwi.invalid/");
    public static readonly Uri SitePlaceholder = new("http://site.qiwi.invalid/");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri)
        {
            if (Placeholder.IsBaseOf(uri))
                request.RequestUri = new Uri(endpoint.ApiBase, Placeholder.MakeRelativeUri(uri).OriginalString);
            else if (SitePlaceholder.IsBaseOf(uri))
                request.RequestUri = new Uri(endpoint.SiteBase, SitePlaceholder.MakeRelativeUri(uri).OriginalString);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
