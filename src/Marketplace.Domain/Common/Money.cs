using System.Globalization;

namespace Marketplace.Domain.Common;

/// <summary>
/// An exact amount in one currency. Amounts are <see cref="decimal"/> with at most two fraction
/// digits (kopecks/cents): every supported wallet works in minor units of two digits.
/// </summary>
public readonly record struct Money
{
    public const int MaxFractionDigits = 2;
    public const decimal MaxAmount = 1_000_000m;

    public Money(decimal amount, string currency)
    {
        if (amount <= 0) throw new DomainException("money.non_positive", "Amount must be positive.");
        if (amount > MaxAmount) throw new DomainException("money.too_large", $"Amount must not exceed {MaxAmount}.");
        if (!HasAtMostTwoFractionDigits(amount))
            throw new DomainException("money.precision", "Amount must have at most two fraction digits.");
        if (!Currencies.IsSupported(currency))
            throw new DomainException("money.currency", $"Currency '{currency}' is not supported.");
        Amount = decimal.Round(amount, MaxFractionDigits);
        Currency = currency;
    }

    public decimal Amount { get; }
    public string Currency { get; }

    public Money Times(int quantity) => new(Amount * quantity, Currency);

    public static bool HasAtMostTwoFractionDigits(decimal amount) => decimal.Round(amount, MaxFractionDigits) == amount;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount:0.00} {Currency}");
}
