namespace Marketplace.Client.Models;

/// <param name="DisplayName">Optional public name shown with the account's listings.</param>
public sealed record RegisterRequest(string Email, string Password, string? DisplayName = null);

public sealed record LoginRequest(string Email, string Password);

public sealed record RefreshRequest(string RefreshToken);

public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

public sealed record Account(Guid Id, string Email, DateTimeOffset CreatedAt, string? DisplayName);

/// <summary>The account fields an owner may change; <c>DisplayName</c> null removes the public name.</summary>
public sealed record ChangeAccountRequest(string? DisplayName);

/// <summary>A session: the bearer access token (short-lived) and the refresh token that renews it.</summary>
public sealed record Session(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);
