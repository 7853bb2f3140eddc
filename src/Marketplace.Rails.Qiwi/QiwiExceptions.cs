using System.Net;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// A QIWI call failed. The subtype says what a caller can do about it; <see cref="RawBody"/> keeps
/// what QIWI said, in either of its error shapes (contract §9.2).
/// </summary>
public abstract class QiwiException(string message, HttpStatusCode? status, string? errorCode, string? rawBody, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? StatusCode { get; } = status;

    /// <summary>QIWI's own code: "request.blocked", "auth.forbidden", "QWPRC-220", ...</summary>
    public string? ErrorCode { get; } = errorCode;

    public string? RawBody { get; } = rawBody;
}

/// <summary>401: the token is unknown, expired (180 days) or revoked (a newer one was issued).</summary>
public sealed class QiwiUnauthorizedException(string? body)
    : QiwiException("QIWI refused the token: wrong, expired or revoked.", HttpStatusCode.Unauthorized, null, body);

/// <summary>403: the token lacks the permission group this call needs.</summary>
public sealed class QiwiForbiddenException(string? errorCode, string? body)
    : QiwiException("The token lacks the permission group for this call.", HttpStatusCode.Forbidden, errorCode, body);

/// <summary>404: no such transaction, wallet or hook; or no payment matches the filter.</summary>
public sealed class QiwiNotFoundException(string? errorCode, string? body)
    : QiwiException("QIWI found nothing for this request.", HttpStatusCode.NotFound, errorCode, body);

/// <summary>
/// 423: too many requests; QIWI blocks the wallet for 5 minutes. Also raised locally, without
/// calling QIWI, while a wallet is blocked or its request budget is spent.
/// </summary>
public sealed class QiwiRateLimitedException(DateTimeOffset retryAfter, string? errorCode, string? body, bool local)
    : QiwiException(local ? "The wallet's QIWI request budget is spent; retry later." : "QIWI rate-limited this wallet.",
        HttpStatusCode.Locked, errorCode, body)
{
    public DateTimeOffset RetryAfter { get; } = retryAfter;

    /// <summary>True when our own budget refused the call, so QIWI never saw it.</summary>
    public bool Local { get; } = local;
}

/// <summary>400/422: QIWI rejected the request. For payments, <see cref="QiwiException.ErrorCode"/> is e.g. QWPRC-220 (insufficient funds).</summary>
public sealed class QiwiValidationException(HttpStatusCode status, string? errorCode, string message, string? body)
    : QiwiException(message, status, errorCode, body)
{
    /// <summary>The numeric part of a QWPRC code, matching the transaction errorCode table (§9.3); null for edge errors.</summary>
    public int? PaymentErrorCode =>
        ErrorCode?.StartsWith("QWPRC-", StringComparison.Ordinal) == true && int.TryParse(ErrorCode.AsSpan(6), out var code) ? code : null;
}

/// <summary>5xx, timeouts, broken connections, an open circuit or an unreadable response: try again later.</summary>
public sealed class QiwiTransientException(string message, HttpStatusCode? status = null, string? body = null, Exception? inner = null)
    : QiwiException(message, status, null, body, inner);
