namespace Marketplace.Application.Orders.PlaceOrder;

/// <summary>
/// Caps on orders awaiting payment, so one account that never pays cannot hold a listing's stock
/// (section <c>Orders:Limits</c>). Orders past their deadline but not yet expired still count:
/// they still hold items.
/// </summary>
public sealed class OrderLimitsOptions
{
    public const string Section = "Orders:Limits";

    /// <summary>Unpaid orders one buyer may have at once, across all listings.</summary>
    public int MaxUnpaidOrdersPerBuyer { get; set; } = 5;

    /// <summary>Unpaid orders one buyer may have at once on one listing.</summary>
    public int MaxUnpaidOrdersPerBuyerPerListing { get; set; } = 2;

    public bool IsValid() => MaxUnpaidOrdersPerBuyer >= 1 && MaxUnpaidOrdersPerBuyerPerListing >= 1;
}
