using FluentValidation;
using Mediator;

namespace Marketplace.Application.Common.Behaviors;

/// <summary>
/// Runs every FluentValidation validator of a message before its handler. Failures surface as
/// <see cref="ValidationException"/>, which the API maps to 400 ProblemDetails naming each field.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        // A null message is a missing request body that slipped past the host's checks: a 400, never a NullReferenceException.
        if (message is null)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("body", "A request body is required.")]);

        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0) throw new ValidationException(failures);
        return await next(message, cancellationToken);
    }
}
