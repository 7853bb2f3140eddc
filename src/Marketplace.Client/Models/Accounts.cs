namespace Marketplace.Client.Models;

public sealed record RegisterRequest(string Email, string Password);

public sealed record LoginRequest(string Email, string Password);

public sealed record RefreshRequest(string RefreshToken);

public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

public sealed record Account(Guid Id, string Email, DateTimeOffset CreatedAt);

/// <summary>A session: the bearer access token (short-lived) and the refresh token that renews it.</summary>
public sealed record Session(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);
