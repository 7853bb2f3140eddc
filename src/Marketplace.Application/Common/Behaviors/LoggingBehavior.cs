using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Marketplace.Application.Common.Behaviors;

/// <summary>
/// Logs each message's name, outcome and duration. Only the type name is logged, never the
/// message itself: commands carry passwords, wallet tokens and goods payloads.
/// </summary>
public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            logger.LogDebug("{Message} handled in {Elapsed} ms",
                typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex) when (Rejections.IsRejection(ex))
        {
            logger.LogInformation("{Message} rejected: {Reason}", typeof(TMessage).Name, ex.GetType().Name);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away (or the host is stopping): nothing failed.
            logger.LogDebug("{Message} cancelled after {Elapsed} ms", typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Message} failed after {Elapsed} ms",
                typeof(TMessage).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}

public static class Rejections
{
    /// <summary>The answers a caller gets for its own request (4xx): information, not errors of the service.</summary>
    public static bool IsRejection(Exception ex) =>
        ex is FluentValidation.ValidationException or Exceptions.NotFoundException or Exceptions.ConflictException
            or Exceptions.UnprocessableException or Exceptions.UnauthorizedException or Exceptions.ForbiddenException
            or Exceptions.TooManyAttemptsException or Exceptions.PreconditionFailedException or Domain.Common.DomainException;
}
