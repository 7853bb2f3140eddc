namespace Marketplace.Application.Disputes;

/// <summary>Settings of the dispute process (section "Disputes").</summary>
public sealed class DisputeOptions
{
    public const string Section = "Disputes";

    /// <summary>How long the seller has to replace, refund or contest before a moderator takes over.</summary>
    public TimeSpan SellerResponseTime { get; set; } = TimeSpan.FromHours(72);

    /// <summary>
    /// The first moderator, named by account id (shown when the account registers): a moderator without
    /// being granted the role, who grants it to others. An id, not an email: without verified emails,
    /// whoever registered a configured address first would moderate.
    /// </summary>
    public Guid? FirstModeratorAccountId { get; set; }

    public bool IsValid() => SellerResponseTime >= TimeSpan.FromMinutes(1) && SellerResponseTime <= TimeSpan.FromDays(30);
}
