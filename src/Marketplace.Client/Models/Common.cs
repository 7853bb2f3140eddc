namespace Marketplace.Client.Models;

/// <summary>An exact amount: <c>{ "amount": 150.00, "currency": "RUB" }</c>. Always a decimal, never a double.</summary>
public sealed record Money(decimal Amount, string Currency);

/// <summary>One page of a paged list: <see cref="TotalCount"/> entries in all.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

/// <summary>The service's RFC 9457 error: <see cref="Code"/> to branch on, <see cref="Errors"/> naming invalid fields.</summary>
public sealed record Problem(
    string? Type, string Title, int Status, string? Detail, string? Instance, string Code,
    IReadOnlyDictionary<string, string[]>? Errors, string TraceId, int? RetryAfterSeconds);
