using System.Reflection;
using FluentValidation;
using FluentValidation.Results;
using Marketplace.Application.Common.Validation;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Api.Hosting;

/// <summary>
/// Checks, for every endpoint of the group it is added to, what the framework binds before any
/// validator runs: a body that is JSON <c>null</c> is refused as a missing body, and a string taken
/// from the query, route or a header (directly or in an [AsParameters] group) must be one line without control characters (%00 in a query
/// would otherwise reach the database). An enum taken from the query must be one of its names: the
/// framework's Enum.TryParse would also take "1" or a comma-joined list of names as a combination.
/// Bodies are checked by <see cref="SafeStringJsonConverter"/>.
/// </summary>
public static class InputEndpointFilter
{
    public const string BodyField = "body";
    public const string BodyRequired = "A request body is required.";

    public static TBuilder WithInputChecks<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var parameters = context.MethodInfo.GetParameters();
        var bodies = new List<int>();
        var strings = new List<(int Index, string Name)>();
        var grouped = new List<(int Index, PropertyInfo Property, string Name)>();
        var enums = new List<(string Name, Type Type)>();
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.ParameterType == typeof(string))
                strings.Add((i, BoundName(parameter)));
            else if ((Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType) is { IsEnum: true } enumType)
                enums.Add((BoundName(parameter), enumType));
            else if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
                grouped.AddRange(parameter.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.PropertyType == typeof(string) && p.CanRead)
                    .Select(p => (i, p, p.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
                                         ?? p.GetCustomAttributes().OfType<IFromRouteMetadata>().FirstOrDefault()?.Name
                                         ?? p.GetCustomAttributes().OfType<IFromHeaderMetadata>().FirstOrDefault()?.Name
                                         ?? p.Name)));
            else if (IsBody(parameter, services))
                bodies.Add(i);
        }

        if (bodies.Count == 0 && strings.Count == 0 && grouped.Count == 0 && enums.Count == 0) return next;
        return invocation =>
        {
            foreach (var index in bodies)
                if (invocation.Arguments[index] is null)
                    throw new ValidationException([new ValidationFailure(BodyField, BodyRequired)]);

            var failures = strings
                .Where(s => invocation.Arguments[s.Index] is string value && CommonRules.ContainsControlCharacter(value, allowLineBreaks: false))
                .Select(s => new ValidationFailure(s.Name, $"'{s.Name}' must not contain control characters."))
                .Concat(grouped
                    .Where(g => invocation.Arguments[g.Index] is { } group && g.Property.GetValue(group) is string value
                                && CommonRules.ContainsControlCharacter(value, allowLineBreaks: false))
                    .Select(g => new ValidationFailure(g.Name, $"'{g.Name}' must not contain control characters.")))
                .Concat(enums
                    .Where(e => invocation.HttpContext.Request.Query[e.Name].ToString() is { Length: > 0 } raw
                                && !Enum.GetNames(e.Type).Any(n => string.Equals(n, raw.Trim(), StringComparison.OrdinalIgnoreCase)))
                    .Select(e => new ValidationFailure(e.Name, $"'{e.Name}' must be one of: {string.Join(", ", Enum.GetNames(e.Type))}.")))
                .ToList();
            if (failures.Count > 0) throw new ValidationException(failures);
            return next(invocation);
        };
    }

    /// <summary>The parameter the framework binds from the JSON body: [FromBody], or a class that is no service, special type or bindable value.</summary>
    private static bool IsBody(ParameterInfo parameter, IServiceProviderIsService? services)
    {
        var attributes = parameter.GetCustomAttributes().ToList();
        if (attributes.OfType<IFromBodyMetadata>().Any()) return true;
        if (attributes.Any(a => a is IFromQueryMetadata or IFromRouteMetadata or IFromHeaderMetadata or IFromServiceMetadata
                or IFromFormMetadata or AsParametersAttribute or FromKeyedServicesAttribute)) return false;
        var type = parameter.ParameterType;
        if (!type.IsClass || type == typeof(string) || type.IsAbstract || type.IsInterface) return false;
        if (typeof(HttpContext).IsAssignableFrom(type) || typeof(HttpRequest).IsAssignableFrom(type) || typeof(HttpResponse).IsAssignableFrom(type)
            || typeof(System.Security.Claims.ClaimsPrincipal).IsAssignableFrom(type) || typeof(Stream).IsAssignableFrom(type)
            || typeof(IFormFile).IsAssignableFrom(type) || typeof(IFormFileCollection).IsAssignableFrom(type)) return false;
        if (services?.IsService(type) == true) return false;
        const BindingFlags statics = BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        return !type.GetMethods(statics).Any(m => m.Name is "TryParse" or "BindAsync");
    }

    private static string BoundName(ParameterInfo parameter) =>
        parameter.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
        ?? parameter.GetCustomAttributes().OfType<IFromRouteMetadata>().FirstOrDefault()?.Name
        ?? parameter.GetCustomAttributes().OfType<IFromHeaderMetadata>().FirstOrDefault()?.Name
        ?? parameter.Name!;
}
