using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Marketplace.Api.Hosting;

/// <summary>
/// One limit for request bodies. Kestrel enforces it on the wire (also for chunked bodies); the
/// middleware answers a declared Content-Length over it with a 413 ProblemDetails before anything reads
/// the body. The largest legitimate body is 1000 items of 4096 characters.
/// </summary>
public static class RequestSizeLimit
{
    public const long DefaultMaxRequestBodyBytes = 8 * 1024 * 1024;

    public static IServiceCollection AddRequestSizeLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var max = configuration.GetValue("Api:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = max);
        services.AddSingleton(new RequestSizeOptions(max));
        return services;
    }

    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var max = context.RequestServices.GetRequiredService<RequestSizeOptions>().MaxRequestBodyBytes;
        if (context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request too large",
                    Detail = $"The request body must not exceed {max} bytes.",
                },
            });
            return;
        }

        await next(context);
    });

    public sealed record RequestSizeOptions(long MaxRequestBodyBytes);
}
