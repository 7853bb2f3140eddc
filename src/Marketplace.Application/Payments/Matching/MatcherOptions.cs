using Marketplace.Domain.Payments;

namespace Marketplace.Application.Payments.Matching;

/// <summary>The matcher's settings (section <c>PaymentWatcher</c>); docs/payment-matching.md explains each figure.</summary>
public sealed class MatcherOptions
{
    public const string Section = "PaymentWatcher";

    public bool Enabled { get; set; } = true;

    /// <summary>Time between polling passes; push notifications trigger a read at once in between.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long past its deadline an order waits for transfers that show up in history late.</summary>
    public TimeSpan ExpiryGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After the deadline, transfers still count as late payments for this long; later ones go to the inbox.</summary>
    public TimeSpan MonitoringWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Wallet clocks and ours disagree a little: a transfer this much before the order still counts.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Each fresh read starts this far before the previous one ended, for rows a wallet shows late.</summary>
    public TimeSpan ReadOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// History requests one pass may spend on one wallet. With the 10 s interval, 8 is 48 a minute,
    /// inside QIWI's budget of 80 (which is also shared across instances and enforced by the rail).
    /// </summary>
    public int RequestsPerWalletPerPass { get; set; } = 8;

    /// <summary>Wallets read at the same time; a slow wallet holds one slot, never the others.</summary>
    public int MaxParallelWallets { get; set; } = 8;

    /// <summary>How long an instance keeps a wallet after its last pass (other instances take it over after that).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long unpaid orders of a wallet whose token was refused are held before they become Unverifiable.</summary>
    public TimeSpan AttentionHoldLimit { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// No read reaches further back than this (orders live at most a day, late payments count for the
    /// monitoring window after it). Keeps every request inside a rail's range limit (QIWI: 90 days).
    /// </summary>
    public TimeSpan MaxLookBack { get; set; } = TimeSpan.FromDays(30);

    public PaymentRules Rules => new(ClockSkew, MonitoringWindow);

    public bool IsValid() =>
        Interval > TimeSpan.Zero && ExpiryGrace >= TimeSpan.Zero && MonitoringWindow >= TimeSpan.Zero && ClockSkew >= TimeSpan.Zero
        && ReadOverlap >= TimeSpan.Zero && RequestsPerWalletPerPass >= 1 && MaxParallelWallets >= 1 && LeaseDuration > Interval
        && AttentionHoldLimit >= TimeSpan.Zero
        && MaxLookBack > MonitoringWindow + TimeSpan.FromDays(1) && MaxLookBack <= TimeSpan.FromDays(60);
}
