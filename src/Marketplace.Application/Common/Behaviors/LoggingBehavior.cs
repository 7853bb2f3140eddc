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
        catch (Exception ex) when (ex is FluentValidation.ValidationException or Exceptions.NotFoundException
                                       or Exceptions.ConflictException or Exceptions.UnprocessableException
                                       or Exceptions.UnauthorizedException or Exceptions.TooManyAttemptsException
                                       or Exceptions.PreconditionFailedException
                                       or Domain.Common.DomainException)
        {
            logger.LogInformation("{Message} rejected: {Reason}", typeof(TMessage).Name, ex.GetType().Name);
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
