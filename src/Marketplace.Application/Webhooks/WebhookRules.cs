using FluentValidation;
using Marketplace.Application.Common.Models;
using Marketplace.Application.Common.Validation;
using Marketplace.Domain.Webhooks;

namespace Marketplace.Application.Webhooks;

/// <summary>The shape of a receiver URL and of a subscription; whether the host may be called is <see cref="IWebhookTargetGuard"/>'s.</summary>
public static class WebhookRules
{
    public static IRuleBuilderOptions<T, string?> WebhookUrl<T>(this IRuleBuilder<T, string?> rule, OperatingMode mode) =>
        rule.MaximumLength(WebhookEndpoint.MaxUrlLength)
            .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.Host.Length > 0
                         && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0)
            .WithMessage("Must be an absolute https URL without credentials or fragment.")
            .Must(url => !mode.IsLive() || url!.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            .WithMessage("Must use https (plain http is accepted only by a sandbox service).");

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> WebhookEventTypes<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(types => types!.Count is > 0 and <= 32).WithMessage("Name 1 to 32 event types.")
            .Must(types => types!.All(t => t is not null && Webhooks.WebhookEventTypes.All.Contains(t)))
            .WithMessage("Unknown event type; known: " + string.Join(", ", Webhooks.WebhookEventTypes.All.Order(StringComparer.Ordinal)) + ".");

    public static IRuleBuilderOptions<T, string?> WebhookDescription<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(WebhookEndpoint.MaxDescriptionLength).SingleLine();

    private static bool IsLive(this OperatingMode mode) => !mode.IsSandbox;
}
