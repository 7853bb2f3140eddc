namespace Marketplace.Application.Disputes;

/// <summary>Settings of the dispute process (section "Disputes").</summary>
public sealed class DisputeOptions
{
    public const string Section = "Disputes";

    /// <summary>How long the seller has to replace, refund or contest before a moderator takes over.</summary>
    public TimeSpan SellerResponseTime { get; set; } = TimeSpan.FromHours(72);

    public bool IsValid() => SellerResponseTime >= TimeSpan.FromMinutes(1) && SellerResponseTime <= TimeSpan.FromDays(30);
}
