using Marketplace.Application.Common.Models;

namespace Marketplace.Api.Hosting;

/// <summary>
/// Decides, once at start-up, whether this process is a Sandbox or a Live service, and refuses
/// configurations where the sandbox could pay for real goods:
/// <list type="bullet">
/// <item><c>Marketplace:Mode</c> unset means Sandbox only in Development (what <c>dotnet run</c> uses); anywhere
/// else the operator must say which, so a production start never falls into the sandbox by default.</item>
/// <item>Live never hosts the emulator and needs <c>Qiwi:BaseUrl</c>, the real wallet API.</item>
/// <item>The emulator is embedded by default only in Sandbox.</item>
/// </list>
/// </summary>
public sealed record ServiceModeSetup(OperatingMode Mode, bool EmbeddedEmulator, string EmulatorPath)
{
    public const string ModeKey = "Marketplace:Mode";
    public const string EmbeddedKey = "QiwiEmulator:Embedded";
    public const string QiwiBaseUrlKey = "Qiwi:BaseUrl";
    public const string PaymentFormBaseUrlKey = "Qiwi:PaymentFormBaseUrl";

    public static ServiceModeSetup From(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[ModeKey];
        ServiceMode mode;
        if (string.IsNullOrWhiteSpace(configured))
        {
            mode = environment.IsDevelopment()
                ? ServiceMode.Sandbox
                : throw new InvalidOperationException(
                    $"{ModeKey} must be set to Sandbox or Live outside Development (environment '{environment.EnvironmentName}'). " +
                    "Sandbox pays through the QIWI emulator with play money; Live pays through the real wallet API named by Qiwi:BaseUrl.");
        }
        else
        {
            // Names only: Enum.TryParse would also take "1" or "Sandbox, Live", and a typo must not pick a mode.
            mode = Enum.GetValues<ServiceMode>()
                       .Where(m => string.Equals(m.ToString(), configured.Trim(), StringComparison.OrdinalIgnoreCase))
                       .Select(m => (ServiceMode?)m).SingleOrDefault()
                   ?? throw new InvalidOperationException($"{ModeKey} is '{configured}'; it must be Sandbox or Live.");
        }

        var embeddedSetting = configuration[EmbeddedKey];
        bool embedded;
        if (string.IsNullOrWhiteSpace(embeddedSetting)) embedded = mode == ServiceMode.Sandbox;
        else if (!bool.TryParse(embeddedSetting, out embedded))
            throw new InvalidOperationException($"{EmbeddedKey} is '{embeddedSetting}'; it must be true or false.");

        var baseUrl = configuration[QiwiBaseUrlKey];
        if (mode == ServiceMode.Live)
        {
            if (embedded)
                throw new InvalidOperationException(
                    $"A Live service cannot host the QIWI emulator: remove {EmbeddedKey} (or set it to false). The emulator exists only in Sandbox.");
            if (string.IsNullOrWhiteSpace(baseUrl))
                throw new InvalidOperationException($"A Live service needs {QiwiBaseUrlKey}: the wallet API it reads payments from.");
            // Buyers open payUrl: built from the API base it would point at the API host, not the wallet's payment form.
            if (string.IsNullOrWhiteSpace(configuration[PaymentFormBaseUrlKey]))
                throw new InvalidOperationException($"A Live service needs {PaymentFormBaseUrlKey}: where buyers open the wallet's payment form (https://qiwi.com/ for QIWI).");
        }

        if (!embedded && string.IsNullOrWhiteSpace(baseUrl))
            throw new InvalidOperationException($"{QiwiBaseUrlKey} must name a QIWI-compatible API when the emulator is not embedded.");
        if (!string.IsNullOrWhiteSpace(baseUrl)
            && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            throw new InvalidOperationException($"{QiwiBaseUrlKey} '{baseUrl}' must be an absolute http or https URL.");

        return new ServiceModeSetup(new OperatingMode(mode), embedded, configuration["Qiwi:EmbeddedEmulatorPath"] ?? new Marketplace.Rails.Qiwi.QiwiOptions().EmbeddedEmulatorPath);
    }
}
