namespace Marketplace.Domain.Payments;

/// <summary>The tunable figures of the matching rules (docs/payment-matching.md).</summary>
/// <param name="ClockSkew">Wallet clocks and ours disagree a little: a transfer this much before the order still counts.</param>
/// <param name="MonitoringWindow">How long after the deadline a transfer still counts as a late payment instead of an unmatched one.</param>
public sealed record PaymentRules(TimeSpan ClockSkew, TimeSpan MonitoringWindow)
{
    public static readonly PaymentRules Default = new(TimeSpan.FromMinutes(5), TimeSpan.FromHours(24));
}
