namespace Marketplace.Application.Common.Models;

/// <summary>An exact amount as the API shows it: <c>{ "amount": 150.00, "currency": "RUB" }</c>.</summary>
public sealed record MoneyDto(decimal Amount, string Currency)
{
    /// <summary>Always two fraction digits on the wire (150.00), whatever scale the database returned.</summary>
    public static MoneyDto Of(decimal amount, string currency) => new(WithCents(amount), currency);

    public static decimal WithCents(decimal amount) => decimal.Round(amount, 2) + 0.00m;
}

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);
