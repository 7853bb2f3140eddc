using Marketplace.Application.Payments.Rails;

namespace Marketplace.Rails.Qiwi;

/// <summary>The QIWI Wallet rail's name: every QIWI capability is registered under it, and wallets and orders store it.</summary>
public static class QiwiRail
{
    public const string Name = "qiwi";

    public static readonly PaymentMethodId Method = new(Name);
}
