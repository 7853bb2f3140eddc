using Marketplace.Application.Common.Interfaces;

namespace Marketplace.Infrastructure.Payments;

/// <summary>All configured rails by provider name.</summary>
public sealed class PaymentRails(IEnumerable<IPaymentRail> rails) : IPaymentRails
{
    private readonly Dictionary<string, IPaymentRail> _byProvider =
        rails.ToDictionary(r => r.Provider, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Providers => _byProvider.Keys;

    public IPaymentRail? Find(string provider) => _byProvider.GetValueOrDefault(provider);
}
