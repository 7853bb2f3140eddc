using Marketplace.QiwiEmulator.State;
using Marketplace.QiwiEmulator.Wire;
using Microsoft.AspNetCore.Http;

namespace Marketplace.QiwiEmulator.Endpoints;

/// <summary>QIWI's three error shapes (contract §9.2): long for edge services, short for sinap, empty for 401.</summary>
internal static class QiwiResponses
{
    public static IResult Ok(object body) => Results.Json(body, QiwiWire.Json);

    public static IResult EdgeError(int status, string service, string errorCode, string message) =>
        Results.Json(new
        {
            serviceName = service,
            errorCode,
            userMessage = message,
            description = message,
            dateTime = DateTimeOffset.UtcNow.ToOffset(QiwiWire.Moscow).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture),
            traceId = Guid.NewGuid().ToString("N")[..16],
        }, QiwiWire.Json, statusCode: status);

    public static IResult Validation(string service, string message) => EdgeError(400, service, "validation.error", message);

    public static IResult SinapError(int status, int code, string message) =>
        Results.Json(new { code = $"QWPRC-{code}", message }, QiwiWire.Json, statusCode: status);

    public static IResult Denied(AuthResult auth, string service) => auth.Status == 401
        ? Results.StatusCode(401) // QIWI's 401 carried no body
        : EdgeError(403, service, "auth.forbidden", "Access denied");

    /// <summary>
    /// Authenticates for <paramref name="group"/> and checks that <paramref name="wallet"/> (a path segment: the
    /// wallet number, digits, a leading '+' tolerated) is the token's own wallet. Null when allowed; otherwise
    /// QIWI's answer: 401 empty, 403 auth.forbidden (missing group or another wallet), 400 for a path that is no number.
    /// </summary>
    public static IResult? OwnWallet(HttpRequest request, EmulatorState state, string service, PermissionGroup group, string? wallet, out EmulatorWallet owner)
    {
        owner = null!;
        var auth = state.Authenticate(Bearer(request), group);
        if (auth.Wallet is not { } found) return Denied(auth, service);
        var digits = wallet?.Trim().TrimStart('+');
        if (digits is not { Length: >= 1 and <= 15 } || !digits.All(char.IsAsciiDigit))
            return Validation(service, "The wallet in the path must be its number, digits only");
        if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var personId)
            || personId != found.PersonId)
            return EdgeError(403, service, "auth.forbidden", "Access denied");
        owner = found;
        return null;
    }

    /// <summary>The request body as JSON, or null when it is empty or not JSON (the caller answers a validation error, never a 500).</summary>
    public static async Task<System.Text.Json.JsonElement?> ReadJsonAsync(HttpRequest request)
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync<System.Text.Json.JsonElement>(request.Body, QiwiWire.Json, request.HttpContext.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>QIWI answered 400 to any Accept other than JSON.</summary>
    public static bool AcceptsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Length == 0 || accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
                                  || accept.Contains("*/*", StringComparison.Ordinal);
    }
}
