namespace Marketplace.Application.Common.Exceptions;

/// <summary>The resource does not exist, or the caller may not know that it exists (both are 404).</summary>
public sealed class NotFoundException(string resource, object key)
    : Exception($"{resource} '{key}' was not found.")
{
    public string Resource { get; } = resource;
}

/// <summary>The request is valid but conflicts with the current state (409).</summary>
public sealed class ConflictException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The request is well-formed but cannot be processed as asked (422), e.g. a wallet token the rail refused.</summary>
public sealed class UnprocessableException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;
}

/// <summary>No authenticated caller (401).</summary>
public sealed class UnauthorizedException(string message = "Authentication is required.") : Exception(message);

/// <summary>Too many attempts: come back after <see cref="RetryAfter"/> (429 with Retry-After), e.g. a locked-out account.</summary>
public sealed class TooManyAttemptsException(TimeSpan retryAfter, string message) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    public static TooManyAttemptsException LockedOut(TimeSpan retryAfter) =>
        new(retryAfter, "Too many failed sign-in attempts; the account is temporarily locked.");
}

/// <summary>The caller may see the resource but not do this to it (403), e.g. a buyer taking a seller's action on their shared dispute.</summary>
public sealed class ForbiddenException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>A conditional request's precondition (If-Match) does not hold: the resource changed since the client read it (412).</summary>
public sealed class PreconditionFailedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
