using System.Net;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Marketplace.Rails.Qiwi;

/// <summary>
/// The outermost handler of the QIWI client. Refit wraps exceptions thrown below it, so transport
/// failures (timeouts, open circuit, broken connections) become marked synthetic responses here,
/// and <see cref="QiwiErrors"/> turns every failed response into one typed <see cref="QiwiException"/>
/// that reaches the caller unwrapped.
/// </summary>
public sealed class QiwiErrorMappingHandler : DelegatingHandler
{
    public const string FailureHeader = "X-Qiwi-Client-Failure";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException)
        {
            return Synthetic(request, "QIWI did not answer in time.");
        }
        catch (BrokenCircuitException)
        {
            return Synthetic(request, "QIWI calls for this wallet are paused after repeated failures.");
        }
        catch (HttpRequestException)
        {
            return Synthetic(request, "QIWI could not be reached.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Synthetic(request, "QIWI did not answer in time.");
        }
    }

    private static HttpResponseMessage Synthetic(HttpRequestMessage request, string reason)
    {
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request, ReasonPhrase = reason };
        response.Headers.Add(FailureHeader, Uri.EscapeDataString(reason));
        return response;
    }
}

/// <summary>Maps QIWI's answers to typed exceptions, reading either of its error body shapes (contract §9.2).</summary>
public static class QiwiErrors
{
    public static readonly TimeSpan DocumentedBlock = TimeSpan.FromMinutes(5);

    public static async ValueTask<Exception?> FromResponseAsync(HttpResponseMessage response, TimeProvider clock)
    {
        if (response.IsSuccessStatusCode) return null;
        if (response.Headers.TryGetValues(QiwiErrorMappingHandler.FailureHeader, out var failure))
            return new QiwiTransientException(Uri.UnescapeDataString(failure.First()));
        if (response.Headers.TryGetValues(QiwiRequestBudgetHandler.LocalRefusalHeader, out var retryAfter))
            return new QiwiRateLimitedException(DateTimeOffset.Parse(retryAfter.First(), System.Globalization.CultureInfo.InvariantCulture), "local.budget", null, local: true);

        var body = response.Content is null ? null : await response.Content.ReadAsStringAsync();
        var (code, message) = ReadError(body);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new QiwiUnauthorizedException(body),
            HttpStatusCode.Forbidden => new QiwiForbiddenException(code, body),
            HttpStatusCode.NotFound => new QiwiNotFoundException(code, body),
            HttpStatusCode.Locked or HttpStatusCode.TooManyRequests => new QiwiRateLimitedException(clock.GetUtcNow() + DocumentedBlock, code, body, local: false),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.MethodNotAllowed =>
                new QiwiValidationException(response.StatusCode, code, message ?? "QIWI rejected the request.", body),
            _ => new QiwiTransientException($"QIWI answered {(int)response.StatusCode}.", response.StatusCode, body),
        };
    }

    public static ValueTask<Exception?> FromUnreadableResponse(HttpResponseMessage response, Exception exception) =>
        ValueTask.FromResult<Exception?>(new QiwiTransientException("QIWI sent a response that could not be read.", response.StatusCode, inner: exception));

    /// <summary>Long shape {serviceName, errorCode, userMessage, ...} or short shape {code, message}.</summary>
    public static (string? Code, string? Message) ReadError(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return (null, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null);
            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return (Text("errorCode") ?? Text("code"), Text("userMessage") ?? Text("message") ?? Text("description"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
