namespace Marketplace.Rails.Qiwi;

public sealed class QiwiOptions
{
    public const string Section = "Qiwi";

    /// <summary>
    /// The QIWI-compatible API to call, e.g. https://edge.qiwi.com/ or a standalone emulator.
    /// Empty means the emulator hosted inside this service (under <see cref="EmbeddedEmulatorPath"/>),
    /// still called over real HTTP on this service's own address.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The qiwi.com helpers (detect.action): https://qiwi.com for the real wallet. Empty means the same as the API base.</summary>
    public string? SiteBaseUrl { get; set; }

    /// <summary>Where buyers open the payment form: https://qiwi.com for the real wallet. Empty means the same as the API base.</summary>
    public string? PaymentFormBaseUrl { get; set; }

    public string EmbeddedEmulatorPath { get; set; } = "/qiwi-emulator";

    /// <summary>Rows per history page: QIWI allows at most 50.</summary>
    public int HistoryPageSize { get; set; } = 50;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Our own ceiling per wallet in any sliding minute, safely below QIWI's 100 history requests a minute
    /// (which blocks for 5 minutes); shared by every instance of the service through the request budget store.
    /// </summary>
    public int HistoryRequestsPerMinute { get; set; } = 80;

    /// <summary>Attempts for one payment, always with the same client id, so a retry can never pay twice.</summary>
    public int PaymentAttempts { get; set; } = 3;
}
