using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Payments.Rails;
using Marketplace.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Api.Hosting;

/// <summary>
/// The one place where exceptions become RFC 9457 ProblemDetails. Bad input is a 400 naming the
/// field (JSON path or parameter); state conflicts are 409; anything unexpected is a 500 that
/// reveals nothing but a trace id.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is TooManyAttemptsException tooMany)
        {
            // The same 429 as the rate limiter's, so a lockout looks like any other throttle.
            await RateLimiting.WriteTooManyRequestsAsync(httpContext, tooMany.RetryAfter, cancellationToken);
            return true;
        }

        var problem = exception switch
        {
            ValidationException validation => Validation(validation.Errors
                .GroupBy(e => FieldName(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray())),
            BadHttpRequestException { InnerException: JsonException json } => Validation(new()
            {
                [JsonPathToField(json.Path)] = [JsonMessage(json)],
            }),
            // No body at all, or a body that is JSON null: one answer for every endpoint that takes a body.
            BadHttpRequestException bad when IsMissingBody(bad.Message) => Validation(new()
            {
                [InputEndpointFilter.BodyField] = [InputEndpointFilter.BodyRequired],
            }),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problem(
                StatusCodes.Status413PayloadTooLarge, "Request too large", "The request body is larger than the service accepts."),
            BadHttpRequestException bad when ParameterName(bad.Message) is { } parameter => Validation(new()
            {
                [parameter] = [$"The value is not valid for '{parameter}'."],
            }),
            BadHttpRequestException bad => Problem(bad.StatusCode, "Bad request", bad.Message),
            NotFoundException notFound => Problem(StatusCodes.Status404NotFound, "Not found", notFound.Message),
            ConflictException conflict => Problem(StatusCodes.Status409Conflict, "Conflict", conflict.Message, conflict.Code),
            PreconditionFailedException precondition => Problem(StatusCodes.Status412PreconditionFailed, "Precondition failed",
                precondition.Message, precondition.Code),
            ForbiddenException forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", forbidden.Message, forbidden.Code),
            UnprocessableException unprocessable => Unprocessable(unprocessable),
            DomainException domain => Problem(StatusCodes.Status422UnprocessableEntity, "Rule violated", domain.Message, domain.Code),
            UnauthorizedException unauthorized => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", unauthorized.Message),
            PaymentRailException => Problem(StatusCodes.Status503ServiceUnavailable, "Wallet unavailable",
                "The wallet service could not be reached; try again shortly."),
            // Races the handlers do not expect to lose, decided by the database: nothing was saved, retrying is safe.
            DbUpdateConcurrencyException => Problem(StatusCodes.Status409Conflict, "Conflict",
                "The resource was changed at the same moment; retry the request.", "concurrency"),
            DbUpdateException db when httpContext.RequestServices.GetRequiredService<IApplicationDbContext>().IsUniqueViolation(db) =>
                Problem(StatusCodes.Status409Conflict, "Conflict", "A conflicting record was created at the same moment; retry the request.", "duplicate"),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "Server error", "An unexpected error occurred.");
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ValidationProblemDetails Validation(Dictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more fields are invalid.",
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    };

    private static ProblemDetails Problem(int status, string title, string detail, string? code = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (code is not null) problem.Extensions["code"] = code;
        return problem;
    }

    private static ProblemDetails Unprocessable(UnprocessableException ex)
    {
        ProblemDetails problem = ex.Field is null
            ? new ProblemDetails()
            : new ValidationProblemDetails(new Dictionary<string, string[]> { [ex.Field] = [ex.Message] });
        problem.Status = StatusCodes.Status422UnprocessableEntity;
        problem.Title = "The request cannot be processed.";
        problem.Detail = ex.Message;
        problem.Extensions["code"] = ex.Code;
        return problem;
    }

    /// <summary>"Price.Amount" -> "price.amount", "Items[3]" -> "items[3]": the names clients send.</summary>
    internal static string FieldName(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    /// <summary>"$.price.amount" -> "price.amount"; "$" (the whole body) -> "body".</summary>
    internal static string JsonPathToField(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string JsonMessage(JsonException json) =>
        json is RejectedJsonValueException ? json.Message :
        json.Path is null or "$" ? "The request body is not valid JSON." : $"The value at '{JsonPathToField(json.Path)}' has the wrong type or format.";

    /// <summary>The framework's words for "the body parameter got nothing" (RequestDelegateFactory resources).</summary>
    private static bool IsMissingBody(string message) =>
        message.Contains("was not provided from body", StringComparison.Ordinal)
        || message.Contains("but no body was provided", StringComparison.Ordinal);

    private static string? ParameterName(string message)
    {
        var match = ParameterPattern().Match(message);
        return match.Success ? match.Groups["name"].Value : null;
    }

    [GeneratedRegex("parameter \"[^\"]*? (?<name>\\w+)\"")]
    private static partial Regex ParameterPattern();
}
