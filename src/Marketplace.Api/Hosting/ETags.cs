namespace Marketplace.Api.Hosting;

/// <summary>Conditional GET: the ETag header on every answer, 304 without a body when If-None-Match names it.</summary>
public static class ETags
{
    public static IResult Conditional<T>(HttpContext http, string etag, T value)
    {
        http.Response.Headers.ETag = etag;
        var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && NoneMatchHits(ifNoneMatch, etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Ok(value);
    }

    /// <summary>RFC 9110 13.1.2: weak comparison, so W/"x" matches "x"; * matches any current representation.</summary>
    private static bool NoneMatchHits(string header, string etag) =>
        header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || string.Equals(tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag, etag, StringComparison.Ordinal));
}
