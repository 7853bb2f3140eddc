namespace Marketplace.Api.Hosting;

/// <summary>
/// The code a problem carries when whoever raised it named none (framework 401s and 404s, binding
/// failures): clients branch on <c>code</c> alone, never on titles.
/// </summary>
public static class ProblemCodes
{
    public static string ForStatus(int status) => status switch
    {
        400 => "validation_failed",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        409 => "conflict",
        412 => "precondition_failed",
        413 => "request_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "rate_limited",
        503 => "unavailable",
        >= 500 => "server_error",
        _ => "error",
    };
}
