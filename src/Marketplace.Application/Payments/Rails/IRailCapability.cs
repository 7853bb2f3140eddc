namespace Marketplace.Application.Payments.Rails;

/// <summary>
/// One thing a rail can do. A rail implements only the capabilities it has (BTCPay's split), each
/// registered under its <see cref="PaymentMethodId"/>; callers ask the registry for the capability
/// they need and handle its absence, instead of every rail stubbing a wide interface.
/// </summary>
public interface IRailCapability
{
    PaymentMethodId Method { get; }
}

/// <summary>Every configured rail's capabilities, by payment method id.</summary>
public interface IRailRegistry
{
    IReadOnlyCollection<PaymentMethodId> Methods { get; }

    T? Find<T>(PaymentMethodId method) where T : class, IRailCapability;

    T Get<T>(PaymentMethodId method) where T : class, IRailCapability =>
        Find<T>(method) ?? throw new InvalidOperationException($"Payment rail '{method}' cannot {typeof(T).Name}.");
}
