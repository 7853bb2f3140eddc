namespace Marketplace.Application.Common.Models;

/// <summary>An exact amount as the API shows it: <c>{ "amount": 150.00, "currency": "RUB" }</c>.</summary>
public sealed record MoneyDto(decimal Amount, string Currency);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);
