namespace Marketplace.Application.Payments.Rails;

/// <summary>
/// Names a payment rail ("qiwi"): the key every rail capability is registered under and the
/// provider stored on wallets, orders and transfers. Always lower-case, so lookups never depend on
/// how a client spelled it.
/// </summary>
public readonly record struct PaymentMethodId
{
    public PaymentMethodId(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 32 || !value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            throw new ArgumentException("A payment method id is 1-32 characters of a-z, 0-9 and '-'.", nameof(value));
        Value = value;
    }

    public string Value { get; }

    /// <summary>Reads what a client or the database holds; null when it cannot be a payment method id.</summary>
    public static PaymentMethodId? TryParse(string? text)
    {
        var normalized = text?.Trim().ToLowerInvariant();
        try
        {
            return string.IsNullOrEmpty(normalized) ? null : new PaymentMethodId(normalized);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public override string ToString() => Value;
}
