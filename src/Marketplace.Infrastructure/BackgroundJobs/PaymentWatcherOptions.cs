namespace Marketplace.Infrastructure.BackgroundJobs;

public sealed class PaymentWatcherOptions
{
    public const string Section = "PaymentWatcher";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Time between passes. Each pass reads each watched wallet's history once (a page of 50, more
    /// only when busy), far below QIWI's 100 requests a minute per wallet.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long past its deadline an order waits for transfers that show up in history late.</summary>
    public TimeSpan ExpiryGrace { get; set; } = TimeSpan.FromMinutes(2);
}
