using Microsoft.AspNetCore.Server.Kestrel.Core;
using BadHttpRequestException = Microsoft.AspNetCore.Http.BadHttpRequestException;

namespace Marketplace.Api.Hosting;

/// <summary>
/// One limit for request bodies, 413 ProblemDetails when it is passed. Kestrel enforces it on the wire;
/// the middleware answers a declared Content-Length over it before anything reads the body, and counts
/// bodies of undeclared length (chunked) as they are read, on any server. The largest legitimate body
/// is 1000 items of 4096 characters (a few MB).
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
            await WriteTooLargeAsync(context, max);
            return;
        }

        // A body without a declared length (chunked) is counted as it is read. Whoever reads it gets a 413
        // BadHttpRequestException, which the exception handler answers; if the framework swallows it (binding a
        // body parameter treats I/O errors as "no body"), the answer is written here once the endpoint returns.
        var limited = new LimitedBodyStream(context.Request.Body, max);
        context.Request.Body = limited;
        await next(context);
        if (limited.Exceeded && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await WriteTooLargeAsync(context, max);
        }
    });

    private static async Task WriteTooLargeAsync(HttpContext context, long max)
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
    }

    private sealed class LimitedBodyStream(Stream inner, long max) : Stream
    {
        private long _read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(Guard(() => inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return Count(await inner.ReadAsync(buffer, cancellationToken));
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Guard(Func<int> read)
        {
            try
            {
                return read();
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                Exceeded = true;
                throw;
            }
        }

        private int Count(int read)
        {
            _read += read;
            if (_read <= max) return read;
            Exceeded = true;
            throw new BadHttpRequestException($"The request body must not exceed {max} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public sealed record RequestSizeOptions(long MaxRequestBodyBytes);
}
