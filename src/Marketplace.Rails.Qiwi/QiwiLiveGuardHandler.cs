using Marketplace.Application.Common.Models;
using Marketplace.Application.Payments.Rails;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// In a Live service, refuses any answer that says it comes from the QIWI emulator
/// (<c>X-Qiwi-Emulator</c>): a <c>Qiwi:BaseUrl</c> pointed at a sandbox by mistake must not let play
/// money deliver real goods. Nothing is read from such an answer; the call fails as a rejection.
/// </summary>
public sealed class QiwiLiveGuardHandler(IServiceProvider services) : DelegatingHandler
{
    public const string EmulatorHeader = "X-Qiwi-Emulator";

    private readonly bool _live = services.GetService<OperatingMode>()?.Mode == ServiceMode.Live;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!_live || !response.Headers.Contains(EmulatorHeader)) return response;
        response.Dispose();
        throw new PaymentRailException(PaymentRailErrorKind.Rejected,
            "The wallet API answered as the QIWI emulator; a Live service accepts only a real wallet (check Qiwi:BaseUrl).");
    }
}
