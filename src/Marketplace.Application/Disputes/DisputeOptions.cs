namespace Marketplace.Application.Disputes;

/// <summary>Settings of the dispute process (section "Disputes").</summary>
public sealed class DisputeOptions
{
    public const string Section = "Disputes";

    /// <summary>How long the seller has to replace, refund or contest before a moderator takes over.</summary>
    public TimeSpan SellerResponseTime { get; set; } = TimeSpan.FromHours(72);

    /// <summary>
    /// The account (by email) that is a moderator without being granted the role: the first one, who
    /// then grants it to others. Empty: only accounts granted the role moderate.
    /// </summary>
    public string? FirstModeratorEmail { get; set; }

    public bool IsValid() => SellerResponseTime >= TimeSpan.FromMinutes(1) && SellerResponseTime <= TimeSpan.FromDays(30);
}
