using Marketplace.Client.Models;
using Refit;

namespace Marketplace.Client.Api;

/// <summary>Registration and sessions. Resellers' systems usually use an API key instead (<see cref="IApiKeysApi"/>).</summary>
public interface IAccountsApi
{
    [Post("/api/v1/auth/register")]
    Task<Account> RegisterAsync([Body] RegisterRequest request, CancellationToken cancellationToken = default);

    [Post("/api/v1/auth/login")]
    Task<Session> LogInAsync([Body] LoginRequest request, CancellationToken cancellationToken = default);

    [Post("/api/v1/auth/refresh")]
    Task<Session> RefreshAsync([Body] RefreshRequest request, CancellationToken cancellationToken = default);

    [Post("/api/v1/auth/logout")]
    Task LogOutAsync(CancellationToken cancellationToken = default);

    [Post("/api/v1/auth/password")]
    Task<Session> ChangePasswordAsync([Body] ChangePasswordRequest request, CancellationToken cancellationToken = default);

    [Get("/api/v1/accounts/{id}")]
    Task<Account> GetAccountAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Sets (or, with null, removes) the caller's public display name; 409 <c>account.display_name_taken</c> when too close to another's.</summary>
    [Patch("/api/v1/accounts/{id}")]
    Task<Account> ChangeAccountAsync(Guid id, [Body] ChangeAccountRequest request, CancellationToken cancellationToken = default);
}
