namespace Marketplace.QiwiEmulator;

/// <summary>
/// Behaviour switches of the emulator. Where the QIWI contract is unconfirmed, the choice made
/// here is the default and the alternative stays one setting away (docs/qiwi-rail.md).
/// </summary>
public sealed class EmulatorOptions
{
    public const string Section = "QiwiEmulator";

    /// <summary>Documented: 100 history requests a minute per wallet...</summary>
    public int HistoryRequestsPerMinute { get; set; } = 100;

    /// <summary>...then the wallet's history is blocked for 5 minutes with HTTP 423.</summary>
    public TimeSpan HistoryBlockDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Documented token lifetime: 180 days from issue.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Unconfirmed: whether an empty history answers 404 (as the error table suggests) or 200 with no data.</summary>
    public bool EmptyHistoryIsNotFound { get; set; }

    /// <summary>When set, the admin API requires this value in the X-Emulator-Admin-Key header.</summary>
    public string? AdminKey { get; set; }
}
