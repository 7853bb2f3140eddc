using Marketplace.Application.Payments.Rails;

namespace Marketplace.Infrastructure.Payments;

/// <summary>
/// Every capability the configured rails registered (each as an <see cref="IRailCapability"/>), by
/// payment method id and capability type: BTCPay's PaymentMethodHandlerDictionary, one level finer.
/// A rail that registers the same capability twice is a configuration error, found at start-up.
/// Capabilities are singletons, so the registry is one too.
/// </summary>
public sealed class RailRegistry : IRailRegistry
{
    private readonly Dictionary<PaymentMethodId, IRailCapability[]> _byMethod;

    public RailRegistry(IEnumerable<IRailCapability> capabilities)
    {
        _byMethod = capabilities.GroupBy(c => c.Method).ToDictionary(g => g.Key, g => g.ToArray());
        foreach (var (method, registered) in _byMethod)
        {
            var twice = CapabilityTypes(registered).GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key.Name).ToList();
            if (twice.Count > 0)
                throw new InvalidOperationException($"Payment rail '{method}' registers {string.Join(", ", twice)} more than once.");
        }

        Methods = _byMethod.Keys.OrderBy(m => m.Value, StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyCollection<PaymentMethodId> Methods { get; }

    public T? Find<T>(PaymentMethodId method) where T : class, IRailCapability =>
        _byMethod.TryGetValue(method, out var registered) ? registered.OfType<T>().FirstOrDefault() : null;

    /// <summary>The capability interfaces one registration provides (a class may implement several).</summary>
    private static IEnumerable<Type> CapabilityTypes(IEnumerable<IRailCapability> registered) =>
        registered.SelectMany(c => c.GetType().GetInterfaces())
            .Where(i => i != typeof(IRailCapability) && typeof(IRailCapability).IsAssignableFrom(i));
}
