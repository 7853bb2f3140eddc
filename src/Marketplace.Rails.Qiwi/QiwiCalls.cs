using System.Text.Json;
using Marketplace.Application.Payments.Rails;
using Refit;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// The one translation of the typed client's failures into <see cref="PaymentRailException"/>, shared by
/// every capability: nothing outside this project sees a <see cref="QiwiException"/>.
/// </summary>
internal static class QiwiCalls
{
    /// <summary>Calls QIWI; a 404 stays a <see cref="QiwiNotFoundException"/> (it means "nothing there" and callers decide), everything else is mapped.</summary>
    public static async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (QiwiNotFoundException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not PaymentRailException && ex.InnerException is PaymentRailException refused)
        {
            // A handler refused the answer (the Live guard); Refit wraps what a handler throws.
            throw refused;
        }
        catch (QiwiException ex)
        {
            throw new PaymentRailException(ex switch
            {
                QiwiUnauthorizedException => PaymentRailErrorKind.InvalidCredentials,
                QiwiForbiddenException => PaymentRailErrorKind.MissingPermission,
                QiwiRateLimitedException => PaymentRailErrorKind.RateLimited,
                QiwiValidationException => PaymentRailErrorKind.Rejected,
                _ => PaymentRailErrorKind.Unavailable,
            }, ex.Message, ex);
        }
        catch (ApiException ex)
        {
            // Refit raises this when a successful response cannot be read (malformed JSON).
            throw new PaymentRailException(PaymentRailErrorKind.Unavailable, "QIWI sent a response we could not read.", ex);
        }
        catch (JsonException ex)
        {
            throw new PaymentRailException(PaymentRailErrorKind.Unavailable, "QIWI sent a response we could not read.", ex);
        }
    }

    /// <summary>As <see cref="CallAsync{T}"/>, with QIWI's 404 ("no such transaction", "no active hook", "no payments match") as null.</summary>
    public static async Task<T?> FindAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await CallAsync(call, cancellationToken);
        }
        catch (QiwiNotFoundException)
        {
            return null;
        }
    }
}
