using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Webhooks;

/// <summary>An endpoint of the caller's, tracked; anyone else's is reported exactly like a missing one (404).</summary>
internal static class WebhookEndpointAccess
{
    public static async Task<WebhookEndpoint> OwnEndpointAsync(this IApplicationDbContext db, Guid ownerId, Guid id, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id && e.OwnerId == ownerId, cancellationToken)
        ?? throw new NotFoundException("WebhookEndpoint", id);

    public static async Task EnsureAllowedAsync(this IWebhookTargetGuard guard, string url, CancellationToken cancellationToken)
    {
        if (await guard.RefusalAsync(new Uri(url, UriKind.Absolute), cancellationToken) is { } why)
            throw new UnprocessableException("webhook.url_not_allowed", why, "url");
    }
}
