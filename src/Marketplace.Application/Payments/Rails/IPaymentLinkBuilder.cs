using Marketplace.Domain.Common;

namespace Marketplace.Application.Payments.Rails;

/// <summary>A link to the rail's own payment form, filled in so the buyer cannot get the comment wrong.</summary>
public interface IPaymentLinkBuilder : IRailCapability
{
    /// <summary>Account, amount and comment pre-filled and, where the rail allows, locked.</summary>
    Uri Build(string account, Money amount, string comment);
}
